import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPolicyPack } from "../support/policy-pack";
import type { PolicyPackCopy } from "../support/policy-pack";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject, PulumiRun } from "../support/pulumi-project";

// The ready pack (examples/policy-pack, every pulumi-grants rule at its default level) run by
// the real engine: `pulumi preview --policy-pack` on the fixture program
// test/fixtures/policy-program, one stack for the whole file. Previews only: the rules judge
// the inputs the engine checked, before anything is created.

let server: TestServer;
let project: PulumiProject;
let pack: PolicyPackCopy;

beforeAll(async () => {
  server = await startTestServer();
  project = copyPulumiProject(path.join(projectRoot, "test", "fixtures", "policy-program"), {
    env: {
      GRANTS_API_URL: server.url,
      GRANTS_API_TOKEN: server.adminToken,
      GRANTS_BACKEND: "nevis",
    },
  });
  pack = copyPolicyPack();
  await project.ok(["stack", "init", "dev"]);
}, 120_000);

afterAll(async () => {
  project?.cleanup();
  pack?.cleanup();
  await server?.close();
});

/** `pulumi preview --policy-pack` of `stage`, with the pack config `config` when given. */
async function previewWithPolicies(stage: string, config?: object): Promise<PulumiRun> {
  await project.ok(["config", "set", "stage", stage]);
  const args = ["preview", "--policy-pack", pack.dir];
  if (config !== undefined) {
    const file = path.join(project.dir, `policy-config-${stage}.json`);
    writeFileSync(file, JSON.stringify(config));
    args.push("--policy-pack-config", file);
  }
  return project.run(args);
}

/**
 * The violations the CLI lists under "Policies:", as `[level] message`: each is a line
 * `- [mandatory]  rule  (type: name)`, the rule's description, then the message.
 */
function violations(run: PulumiRun): string[] {
  const lines = run.stdout.split("\n").map((line) => line.trim());
  const found: string[] = [];
  lines.forEach((line, index) => {
    const level = /^- \[(mandatory|advisory)\]\s+grants-/.exec(line)?.[1];
    if (level !== undefined) found.push(`[${level}] ${lines[index + 2] ?? ""}`);
  });
  return found.sort();
}

describe("pulumi preview --policy-pack examples/policy-pack", { timeout: 240_000 }, () => {
  it("passes a program that complies with every rule", async () => {
    const run = await previewWithPolicies("compliant");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // The pack ran and passed: the CLI lists it under "Policies:" with a check mark.
    expect(run.stdout).toMatch(/^\s*✅ pulumi-grants@v0\.1\.0 \(local: /m);
    expect(violations(run)).toEqual([]);
  });

  it("fails on each mandatory rule and warns on the advisory one, naming resource, field and rule", async () => {
    const run = await previewWithPolicies("violating", {
      "grants-audience-allow-list": { audiences: ["https://*.example.com"] },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\s*❌ pulumi-grants@v0\.1\.0 \(local: /m);
    expect(violations(run)).toEqual([
      "[advisory] ClientGrant worker-catalog: scopes has 11 scopes, more than the maximum of 10 [rule grants-max-scopes-per-grant]",
      '[mandatory] Client spa: tokenEndpointAuthMethod is "none"; allowed: client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth [rule grants-allowed-auth-methods]',
      "[mandatory] Client worker: accessTokenTtlSeconds is 7200 s, above the maximum of 3600 s [rule grants-max-token-lifetime]",
      '[mandatory] ClientGrant worker-orders: scopes includes "orders:delete", which matches the forbidden pattern "*:delete" [rule grants-forbidden-scopes]',
      '[mandatory] ClientGrant worker-partner: audience "https://partner.example.org" is not on the allow-list (https://*.example.com) [rule grants-audience-allow-list]',
      '[mandatory] ClientGrant worker-profile: subjectType is "user"; set allowUserGrants to allow it [rule grants-no-user-subject-grants]',
      "[mandatory] ClientGrant worker-reports: allowAllScopes is true; list the scopes the client needs [rule grants-no-allow-all-scopes]",
    ]);
  });

  it("lets --policy-pack-config lower a threshold and change a rule's level", async () => {
    // The compliant program: tokens of 300 s, two scopes per grant.
    const stricter = await previewWithPolicies("compliant", {
      "grants-max-token-lifetime": { maxSeconds: 60 },
      "grants-max-scopes-per-grant": { maxScopes: 1 },
    });
    expect(stricter.code).toBe(1);
    expect(violations(stricter)).toEqual([
      "[advisory] ClientGrant worker-orders: scopes has 2 scopes, more than the maximum of 1 [rule grants-max-scopes-per-grant]",
      "[mandatory] Client worker: accessTokenTtlSeconds is 300 s, above the maximum of 60 s [rule grants-max-token-lifetime]",
    ]);

    // An advisory violation alone warns and lets the preview pass; made mandatory, it fails it.
    const advisory = await previewWithPolicies("compliant", {
      "grants-max-scopes-per-grant": { maxScopes: 1 },
    });
    expect(advisory.code).toBe(0);
    expect(violations(advisory)).toEqual([
      "[advisory] ClientGrant worker-orders: scopes has 2 scopes, more than the maximum of 1 [rule grants-max-scopes-per-grant]",
    ]);
    const mandatory = await previewWithPolicies("compliant", {
      "grants-max-scopes-per-grant": { maxScopes: 1, enforcementLevel: "mandatory" },
    });
    expect(mandatory.code).toBe(1);
    expect(violations(mandatory)).toEqual([
      "[mandatory] ClientGrant worker-orders: scopes has 2 scopes, more than the maximum of 1 [rule grants-max-scopes-per-grant]",
    ]);
  });
});
