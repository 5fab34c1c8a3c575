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

const header = "name: grants-import\nruntime: yaml\n";

// `pulumi import` through the real engine and the native plugin: objects made outside Pulumi
// (with the SDK, as a dashboard would) are read into state, Pulumi writes the YAML for them, and
// that program then previews with no changes. One stack and one server for the whole file.
describe("pulumi import with the native grants plugin", () => {
  let server: TestServer;
  let project: PulumiProject;
  let api: GrantsClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
    project = copyPulumiProject(path.join(projectRoot, "examples", "yaml"), {
      files: ["Pulumi.yaml"],
    });
    writeFileSync(path.join(project.dir, "Pulumi.yaml"), header);
    await project.ok(["stack", "init", "test"]);
    await project.ok(["config", "set", "grants:apiUrl", server.url]);
    await project.ok(["config", "set", "--secret", "grants:apiToken", server.adminToken]);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    project?.cleanup();
    await server?.close();
  });

  it("imports a provider, a client (<providerId>/<clientId>) and a grant, and the generated program previews with no changes", async () => {
    const provider = await api.providers.create({
      name: "imported-issuer",
      description: "made by hand",
    });
    const client = await api.clients.create(provider.id, {
      name: "imported-client",
      audience: "https://imported.example.com",
    });
    const grant = await api.clientGrants.create({
      client_id: client.id,
      audience: "https://imported.example.com",
      scope: ["b:write", "a:read"],
    });

    const generated: string[] = [];
    const imports: [string, string, string][] = [
      ["grants:index:Provider", "issuer", provider.id],
      ["grants:index:Client", "client", `${provider.id}/${client.id}`],
      ["grants:index:ClientGrant", "grant", grant.id],
    ];
    for (const [type, name, id] of imports) {
      const out = path.join(project.dir, `${name}.gen.yaml`);
      await project.ok(["import", type, name, id, "--yes", "--protect=false", "--out", out]);
      generated.push(readFileSync(out, "utf8").replace(/^resources:\n/m, ""));
    }
    const program = `${header}resources:\n${generated.join("")}`;
    // YAML codegen writes the short form of `grants:index:Client`.
    expect(program).toContain("type: grants:Client");
    expect(program).toContain(provider.id);
    writeFileSync(path.join(project.dir, "Pulumi.yaml"), program);

    await project.ok(["preview", "--expect-no-changes"]);

    const state = JSON.parse((await project.ok(["stack", "export"])).stdout);
    const ids = state.deployment.resources
      .filter((resource: { type: string }) => resource.type.startsWith("grants:index:"))
      .map((resource: { type: string; id: string }) => `${resource.type} ${resource.id}`)
      .sort();
    expect(ids).toEqual(
      [
        `grants:index:Client ${client.id}`,
        `grants:index:ClientGrant ${grant.id}`,
        `grants:index:Provider ${provider.id}`,
      ].sort(),
    );
  }, 300_000);

  it("names the expected format when a client's import id lacks its provider", async () => {
    const result = await project.run([
      "import",
      "grants:index:Client",
      "bad",
      "just-a-client-id",
      "--yes",
    ]);
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("<providerId>/<clientId>");
  }, 120_000);
});
