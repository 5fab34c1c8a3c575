import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PulumiCommand, type LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { scriptEnvironment, projectRoot, toolsDir } from "../../scripts/pulumi-env.cjs";

export { projectRoot };

/** A throwaway file backend and PULUMI_HOME, with the offline environment that goes with them. */
export interface PulumiSandbox {
  readonly stateDir: string;
  readonly homeDir: string;
  readonly env: Record<string, string>;
  /** The CLI built by scripts/setup, for the Automation API. */
  command(): Promise<PulumiCommand>;
  /**
   * Options for an inline Automation API program. The workspace lives in the sandbox: a
   * workspace in the repository would overwrite the root Pulumi.yaml. `main` stays the
   * repository, because the dynamic-provider plugin runs there and loads @pulumi/pulumi and
   * pulumi-grants from its node_modules.
   */
  workspaceOptions(projectName: string, main?: string): Promise<LocalWorkspaceOptions>;
  cleanup(): void;
}

export function createPulumiSandbox(): PulumiSandbox {
  const base = mkdtempSync(path.join(os.tmpdir(), "pulumi-grants-engine-"));
  const stateDir = path.join(base, "state");
  const homeDir = path.join(base, "home");
  const workDir = path.join(base, "workspace");
  mkdirSync(workDir);
  // `npm run typecheck` already checks every program; ts-node need not check them again per run.
  const env: Record<string, string> = {
    ...scriptEnvironment({ stateDir, homeDir }),
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  const command = () => PulumiCommand.get({ root: toolsDir, skipVersionCheck: true });
  return {
    stateDir,
    homeDir,
    env,
    // The built CLI may be older than @pulumi/pulumi (see scripts/setup), so skip the SDK's version pin.
    command,
    workspaceOptions: async (projectName, main = projectRoot) => ({
      workDir,
      pulumiHome: homeDir,
      envVars: env,
      pulumiCommand: await command(),
      projectSettings: {
        name: projectName,
        runtime: "nodejs",
        main,
        backend: { url: env.PULUMI_BACKEND_URL },
      },
    }),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
