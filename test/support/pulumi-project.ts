import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPulumiSandbox, projectRoot, type PulumiSandbox } from "./pulumi-engine";

/** What one `pulumi` command printed and how it ended. */
export interface PulumiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copy of a Pulumi program in a temporary directory, driven through the real CLI. */
export interface PulumiProject {
  readonly dir: string;
  readonly sandbox: PulumiSandbox;
  /** Runs `pulumi <args> --non-interactive`; never throws on a non-zero exit. */
  run(args: readonly string[], options?: { input?: string }): Promise<PulumiRun>;
  /** Like {@link run}, but throws with the command's output when it fails. */
  ok(args: readonly string[], options?: { input?: string }): Promise<PulumiRun>;
  /** Everything every command printed so far, to search for secrets. */
  transcript(): string;
  cleanup(): void;
}

/**
 * Copies a program (its Pulumi.yaml, stack files and sources) into a temporary directory, so
 * that stack init and config writes never touch the repository, and links the repository's
 * node_modules beside it: the program and its dynamic-provider plugin resolve @pulumi/pulumi
 * and pulumi-grants exactly as in a user's project.
 */
export function copyPulumiProject(
  sourceDir: string,
  options: { env?: Record<string, string>; files?: readonly string[] } = {},
): PulumiProject {
  const env = options.env ?? {};
  const dir = mkdtempSync(path.join(os.tmpdir(), `pulumi-grants-${path.basename(sourceDir)}-`));
  if (options.files) {
    for (const file of options.files) cpSync(path.join(sourceDir, file), path.join(dir, file));
  } else {
    cpSync(sourceDir, dir, {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  }
  if (!existsSync(path.join(dir, "package.json"))) {
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "program", private: true }),
    );
  }
  symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
  const project = pulumiProjectAt(dir, { env });
  return {
    ...project,
    cleanup() {
      project.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Drives the real CLI in an existing Pulumi project directory (e.g. one that installed the
 * packed package itself), with its own throwaway file backend and PULUMI_HOME.
 * `cleanup()` removes the sandbox, not `dir`.
 */
export function pulumiProjectAt(
  dir: string,
  options: { env?: Record<string, string> } = {},
): PulumiProject {
  const env = options.env ?? {};
  const sandbox = createPulumiSandbox();
  const log: string[] = [];

  const run = (args: readonly string[], options: { input?: string } = {}) =>
    new Promise<PulumiRun>((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--non-interactive"], {
        cwd: dir,
        env: { ...process.env, ...sandbox.env, ...env },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        log.push(`$ pulumi ${args.join(" ")}\n${stdout}${stderr}`);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin.end(options.input ?? "");
    });

  return {
    dir,
    sandbox,
    run,
    async ok(args, options) {
      const result = await run(args, options);
      if (result.code !== 0) {
        throw new Error(
          `pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
        );
      }
      return result;
    },
    transcript: () => log.join("\n"),
    cleanup: () => sandbox.cleanup(),
  };
}
