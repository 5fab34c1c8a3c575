import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";

// examples/yaml through the real engine: pulumi-language-yaml and the native plugin
// pulumi-resource-grants, both found beside the CLI in .tools/bin (scripts/setup), against a
// real grant server. One server for the whole file.
describe("a YAML program using the native grants plugin", () => {
  let server: TestServer;
  let project: PulumiProject;
  let api: GrantsClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
    project = copyPulumiProject(path.join(projectRoot, "examples", "yaml"), {
      files: ["Pulumi.yaml"],
    });
    await project.ok(["stack", "init", "test"]);
    await project.ok(["config", "set", "grants:apiUrl", server.url]);
    await project.ok(["config", "set", "--secret", "grants:apiToken", server.adminToken]);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    project?.cleanup();
    await server?.close();
  });

  it("goes up, previews with no changes, keeps the secrets encrypted, and destroys", async () => {
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toContain("4 created");

    const outputs = JSON.parse(
      (await project.ok(["stack", "output", "--json", "--show-secrets"])).stdout,
    ) as Record<string, unknown>;
    const providerId = String(outputs["issuerUrl"]).split("/").pop() as string;
    const grant = await api.clientGrants.get(String(outputs["grantId"]));
    expect(grant.client_id).toBe(outputs["clientId"]);
    // The declared order, deduplicated (issue #12: an added scope is one `+` line in a diff).
    expect(grant.scope).toEqual(["write:orders", "read:orders"]);
    expect(outputs["grantScopes"]).toEqual(["write:orders", "read:orders"]);
    const client = await api.clients.get(providerId, String(outputs["clientId"]));
    expect(client.name).toBe("yaml-deployer");

    await project.ok(["preview", "--expect-no-changes"]);

    const state = (await project.ok(["stack", "export"])).stdout;
    expect(state).not.toContain(server.adminToken);
    expect(String(outputs["clientSecret"]).length).toBeGreaterThan(10);
    expect(state).not.toContain(String(outputs["clientSecret"]));
    // Only `stack output --show-secrets` above may print it; `up` shows it as [secret].
    expect(`${up.stdout}${up.stderr}`).not.toContain(String(outputs["clientSecret"]));

    const destroy = await project.ok(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.stdout).toContain("4 deleted");
    await expect(api.clientGrants.get(String(outputs["grantId"]))).rejects.toMatchObject({
      code: "GRANTS_NOT_FOUND",
    });
  }, 300_000);

  it("reads an explicit provider's own arguments, not the grants:* stack config", async () => {
    const explicit = copyPulumiProject(
      path.join(projectRoot, "examples", "yaml-explicit-provider"),
      { files: ["Pulumi.yaml"] },
    );
    try {
      await explicit.ok(["stack", "init", "test"]);
      // No grants:* keys: only the explicit provider's arguments can reach the server.
      await explicit.ok(["config", "set", "serverUrl", server.url]);
      await explicit.ok(["config", "set", "--secret", "serverToken", server.adminToken]);

      const up = await explicit.ok(["up", "--yes", "--skip-preview"]);
      expect(up.stdout).toContain("4 created");
      const outputs = JSON.parse((await explicit.ok(["stack", "output", "--json"])).stdout) as {
        issuerUrl: string;
        clientId: string;
      };
      const providerId = outputs.issuerUrl.split("/").pop() as string;
      expect((await api.clients.get(providerId, outputs.clientId)).name).toBe("explicit-deployer");

      await explicit.ok(["preview", "--expect-no-changes"]);
      // The provider's apiToken argument is a secret in the state, like the stack config's.
      expect((await explicit.ok(["stack", "export"])).stdout).not.toContain(server.adminToken);

      const destroy = await explicit.ok(["destroy", "--yes", "--skip-preview"]);
      expect(destroy.stdout).toContain("4 deleted");
      await expect(api.clients.get(providerId, outputs.clientId)).rejects.toMatchObject({
        code: "GRANTS_NOT_FOUND",
      });
    } finally {
      explicit.cleanup();
    }
  }, 300_000);
});
