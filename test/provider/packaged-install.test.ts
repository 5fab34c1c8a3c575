import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type * as automationTypes from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as grantsPackage from "../../provider/index";
import { createGrantsClient } from "../../sdk/index";
import type { ClientGrant, GrantsClient } from "../../sdk/index";
import { toolsDir } from "../../scripts/pulumi-env.cjs";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createPulumiSandbox, projectRoot } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";
import { packTarball } from "../support/provider-package";
import { createGrantsStack, plaintextLeaks, storedStateText } from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";

const run = promisify(execFile);

let base: string;
let project: string;
let server: TestServer;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;
let consumerRequire: NodeRequire;
const secrets: Record<string, string | undefined> = {};

async function grantsOnServer(): Promise<ClientGrant[]> {
  const all: ClientGrant[] = [];
  for await (const grant of sdk.clientGrants.list()) all.push(grant);
  return all;
}

beforeAll(async () => {
  // A Pulumi project outside the repository, which installs the packed package like a user.
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), "grants-consumer-")));
  project = path.join(base, "project");
  mkdirSync(project);
  const tarball = await packTarball(base);
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "grants-consumer", private: true, version: "0.0.0" }),
  );
  await run(
    "npm",
    ["install", tarball, "@pulumi/pulumi@3.276.0", "--no-audit", "--no-fund", "--prefer-offline"],
    { cwd: project, maxBuffer: 16 * 1024 * 1024 },
  );
  consumerRequire = createRequire(path.join(project, "package.json"));

  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  secrets.adminToken = server.adminToken;
  sandbox = createPulumiSandbox();

  const automation = consumerRequire("@pulumi/pulumi/automation") as typeof automationTypes;
  const grants = consumerRequire("pulumi-grants") as typeof grantsPackage;
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-consumer",
    target: server,
    program: async () => {
      const issuer = new grants.Provider("issuer", { name: "packaged", description: "npm pack" });
      const client = new grants.Client("worker", {
        providerId: issuer.id,
        name: "worker",
        audience: "https://worker.example.com",
      });
      const grant = new grants.ClientGrant("jobs", {
        clientId: client.id,
        audience: "https://jobs.example.com",
        scopes: ["jobs:run", "jobs:read"],
      });
      const token = grants.getClientCredentialsToken({
        tokenUrl: client.tokenEndpoint,
        clientId: client.id,
        clientSecret: client.clientSecret,
        audience: grant.audience,
      });
      return { grantId: grant.id, clientSecret: client.clientSecret, token: token.accessToken };
    },
    automation: {
      LocalWorkspace: automation.LocalWorkspace,
      options: {
        workDir: project,
        pulumiHome: sandbox.homeDir,
        envVars: sandbox.env,
        pulumiCommand: await automation.PulumiCommand.get({
          root: toolsDir,
          skipVersionCheck: true,
        }),
        // The dynamic-provider plugin runs in the project: it must find everything there.
        projectSettings: {
          name: "grants-consumer",
          runtime: "nodejs",
          main: project,
          backend: { url: sandbox.env.PULUMI_BACKEND_URL! },
        },
      },
    },
  });
}, 600_000);

afterAll(async () => {
  await recorded?.stack.destroy().catch(() => undefined);
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await sdk?.close();
  await server?.close();
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
}, 120_000);

describe("the package packed with npm pack and installed into a project outside the repository", () => {
  it("resolves pulumi-grants and @pulumi/pulumi from the project, not from the repository", () => {
    for (const name of [
      "pulumi-grants",
      "@pulumi/pulumi",
      "pulumi-grants/internal/provider/resources/client-grant/crud",
    ]) {
      const resolved = consumerRequire.resolve(name);
      expect(resolved.startsWith(path.join(project, "node_modules"))).toBe(true);
      expect(resolved.startsWith(projectRoot)).toBe(false);
    }
  });

  it(
    "runs up, a clean preview, refresh after drift, up and destroy",
    { timeout: 300_000 },
    async () => {
      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
      secrets.clientSecret = up.outputs.clientSecret!.value as string;
      secrets.token = up.outputs.token!.value as string;
      expect(up.outputs.token!.secret).toBe(true);
      await recorded.stack.preview(recorded.record({ expectNoChanges: true }));

      const grantId = up.outputs.grantId!.value as string;
      await sdk.clientGrants.update(grantId, { scope: ["jobs:read"] });
      const refresh = await recorded.stack.refresh(recorded.record());
      expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
      const restore = await recorded.stack.up(recorded.record());
      expect(restore.summary.resourceChanges).toMatchObject({ update: 1 });
      expect([...((await sdk.clientGrants.get(grantId)).scope ?? [])].sort()).toEqual([
        "jobs:read",
        "jobs:run",
      ]);

      const state = await storedStateText(recorded, sandbox.stateDir);
      expect(state).toContain(
        'require(\\"pulumi-grants/internal/provider/resources/client-grant/crud\\")',
      );
      expect(plaintextLeaks({ state, cliOutput: recorded.output() }, secrets)).toEqual([]);

      const destroy = await recorded.stack.destroy(recorded.record());
      expect(destroy.summary.resourceChanges).toMatchObject({ delete: 4 });
      expect(await sdk.providers.list()).toEqual([]);
      expect(await grantsOnServer()).toEqual([]);
      expect(plaintextLeaks({ cliOutput: recorded.output() }, secrets)).toEqual([]);
    },
  );
});
