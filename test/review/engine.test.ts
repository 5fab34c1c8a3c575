import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { plaintextLeaks } from "../support/provider-stack";
import { runGrantsCli } from "./_cli";
import { parseMermaid } from "./_mermaid";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";

// What a reviewer sees, in plain `pulumi preview --diff` and in `pulumi-grants review`, through
// the real CLI, on the fixture program of the review tests (test/fixtures/access-review, one
// stack for the whole file; the tests run in order and each starts where the last one ended).
// The review of a change in eight ways is test/review/eight-changes-engine.test.ts, on a
// nevisMeta fixture (its clients have a token lifetime and an auth method).

let server: TestServer;
let sdk: GrantsClient;
let project: PulumiProject;
/** Plaintext secrets to look for in every output. */
const secrets: Record<string, string | undefined> = {};

const stage = (name: string) => project.ok(["config", "set", "stage", name]);

/** The grant's resource in the exported state. */
function grantResource(state: { deployment: { resources: { urn: string }[] } }, name: string) {
  const resource = state.deployment.resources.find((r) => r.urn.endsWith(`ClientGrant::${name}`));
  if (resource === undefined) throw new Error(`no ClientGrant ${name} in the state`);
  return resource as {
    urn: string;
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  };
}

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  project = copyPulumiProject(path.join(projectRoot, "test", "fixtures", "access-review"), {
    env: { GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken },
  });
  await project.ok(["stack", "init", "dev"]);
  await stage("before");
  await project.ok(["up", "--yes", "--skip-preview"]);
  const outputs = JSON.parse(
    (await project.ok(["stack", "output", "--json", "--show-secrets"])).stdout,
  );
  secrets.deployerSecret = outputs.deployerSecret;
  secrets.adminToken = server.adminToken;
}, 240_000);

/** `pulumi preview --json` (with `extra` flags), as the review reads it. */
async function previewJson(...extra: string[]): Promise<string> {
  const run = await project.run(["preview", "--json", ...extra]);
  // `preview --json` exits 0 for a valid plan; anything else is a broken fixture.
  if (run.code !== 0) throw new Error(`pulumi preview --json failed\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

afterAll(async () => {
  await project?.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
  project?.cleanup();
  await sdk?.close();
  await server?.close();
});

describe("pulumi preview --diff of client grants", { timeout: 180_000 }, () => {
  it("shows no change when the program reorders scopes and repeats one", async () => {
    await stage("reordered");
    const preview = await project.ok(["preview", "--diff", "--expect-no-changes"]);
    expect(preview.stdout).toMatch(/9 unchanged/);
    const review = await runGrantsCli(["review", "--fail-on", "change"], await previewJson());
    expect(review).toMatchObject({ code: 0, stdout: "Access review: no change to access\n" });
  });

  it("shows one added scope as exactly one + line, next to the client's name", async () => {
    await stage("one-scope");
    const preview = await project.ok(["preview", "--diff"]);
    const scopeLines = preview.stdout
      .split("\n")
      .filter((line) => /^\s*[-+~]\s*\[\d+\]:/.test(line))
      .map((line) => line.trim());
    expect(scopeLines).toEqual(['+ [2]: "orders:delete"']);
    expect(preview.stdout).toMatch(/^\s+clientName\s+: "deployer"$/m);
    expect(preview.stdout).toMatch(/~ 1 to update/);
  });

  it("stores and sends the scopes in the declared order", async () => {
    await project.ok(["up", "--yes", "--skip-preview"]);
    const state = JSON.parse((await project.ok(["stack", "export"])).stdout);
    const orders = grantResource(state, "deployer-orders");
    expect(orders.outputs.scopes).toEqual(["orders:read", "orders:write", "orders:delete"]);
    expect((await sdk.clientGrants.get(orders.id)).scope).toEqual([
      "orders:read",
      "orders:write",
      "orders:delete",
    ]);
    expect(orders.outputs.clientName).toBe("deployer");
  });

  it("keeps a state whose scopes were stored sorted (earlier versions) free of changes", async () => {
    // The fixture declares invoices as ["invoices:read", "invoices:export"]; an earlier
    // version stored them sorted.
    const file = path.join(project.dir, "sorted-state.json");
    const state = JSON.parse((await project.ok(["stack", "export"])).stdout);
    const invoices = grantResource(state, "deployer-invoices");
    invoices.inputs.scopes = ["invoices:export", "invoices:read"];
    invoices.outputs.scopes = ["invoices:export", "invoices:read"];
    writeFileSync(file, JSON.stringify(state));
    await project.ok(["stack", "import", "--file", file]);
    expect(
      grantResource(JSON.parse(readFileSync(file, "utf8")), "deployer-invoices").inputs.scopes,
    ).toEqual(["invoices:export", "invoices:read"]);

    await project.ok(["preview", "--diff", "--expect-no-changes"]);
    await project.ok(["refresh", "--yes", "--skip-preview"]);
    await project.ok(["preview", "--diff", "--expect-no-changes"]);
  });

  it("answers who may call what alike from the live server and from the stack export", async () => {
    const exportFile = path.join(project.dir, "state.json");
    writeFileSync(exportFile, (await project.ok(["stack", "export"])).stdout);
    const env = { GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken };
    const live = await runGrantsCli(["access", "--format", "json"], "", env);
    const stored = await runGrantsCli(["access", "--format", "json", "--state", exportFile]);
    expect(live.code, live.stderr).toBe(0);
    expect(stored.code, stored.stderr).toBe(0);
    const entries = JSON.parse(live.stdout) as {
      client: string;
      audience: string;
      scopes: string[];
    }[];
    expect(JSON.parse(stored.stdout)).toEqual(entries);
    expect(entries.map((e) => `${e.client} ${e.audience} ${e.scopes.join(",")}`)).toEqual([
      "deployer https://billing.example.com invoices:export,invoices:read",
      "deployer https://catalog.example.com catalog:read",
      "deployer https://orders.example.com orders:delete,orders:read,orders:write",
      "reporter https://metrics.example.com metrics:read",
      "reporter https://reports.example.com reports:read",
    ]);
    const who = await runGrantsCli(
      ["access", "--audience", "https://orders.example.com", "--scope", "orders:write"],
      "",
      env,
    );
    expect(who.stdout.trimEnd().split("\n")).toEqual([
      "CLIENT    API                         SCOPES",
      "deployer  https://orders.example.com  orders:delete orders:read orders:write",
    ]);
    const graph = await runGrantsCli(["access", "--format", "mermaid", "--state", exportFile]);
    expect(await parseMermaid(graph.stdout)).toMatchObject({ diagramType: "flowchart-v2" });
    expect(plaintextLeaks({ live: live.stdout, stored: stored.stdout }, secrets)).toEqual([]);
  });

  it("fails the drift check on a scope changed out of band, naming the grant and the scope", async () => {
    const state = JSON.parse((await project.ok(["stack", "export"])).stdout);
    const orders = grantResource(state, "deployer-orders");
    await sdk.clientGrants.update(orders.id, {
      scope: ["orders:read", "orders:write", "orders:admin"],
    });
    const drift = await runGrantsCli(
      ["review", "--fail-on", "drift"],
      await previewJson("--refresh"),
    );
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain("[ClientGrant deployer-orders]");
    expect(drift.stdout).toContain("- orders:admin (drift: the server has it, the code does not)");
    expect(drift.stdout).toContain("+ orders:delete (drift: the code has it, the server does not)");
    expect(plaintextLeaks({ drift: drift.stdout }, secrets)).toEqual([]);
  });
});
