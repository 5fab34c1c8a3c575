import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";

// What a reviewer sees in plain `pulumi preview --diff`, through the real CLI, on the fixture
// program of the review tests (test/fixtures/access-review, one stack for the whole file).

let server: TestServer;
let sdk: GrantsClient;
let project: PulumiProject;

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
}, 240_000);

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
});
