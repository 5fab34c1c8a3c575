import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject, type PulumiProject } from "../support/pulumi-project";

/** Plaintext values of one secret output across a `stack export --show-secrets` document. */
function secretOutputs(
  deployment: { deployment: { resources?: { outputs?: Record<string, unknown> }[] } },
  key: string,
) {
  return (deployment.deployment.resources ?? [])
    .map((resource) => resource.outputs?.[key])
    .filter(
      (value): value is { plaintext: string } =>
        typeof value === "object" && value !== null && "plaintext" in value,
    )
    .map((value) => JSON.parse(value.plaintext) as string);
}

describe("the pulumi CLI on the root quickstart program", () => {
  let server: TestServer;
  let project: PulumiProject;

  beforeAll(async () => {
    server = await startTestServer();
    project = copyPulumiProject(projectRoot, { files: ["Pulumi.yaml", "index.ts"] });
  });
  afterAll(async () => {
    project?.cleanup();
    await server?.close();
  });

  it("reports the version that scripts/setup built", async () => {
    const { stdout } = await project.ok(["version"]);
    expect(stdout.trim()).toMatch(/^v3\.\d+\.\d+$/);
  });

  it("runs `pulumi up --yes`, a no-change preview and `pulumi destroy --yes` through the Node.js language host", async () => {
    await project.ok(["stack", "init", "smoke"]);
    await project.ok(["config", "set", "grants:apiUrl", server.url]);
    await project.ok(["config", "set", "--secret", "grants:apiToken"], {
      input: server.adminToken,
    });

    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/\+ 6 created/); // the stack, a provider, two clients, two grants
    const outputs = JSON.parse((await project.ok(["stack", "output", "--json"])).stdout);
    expect(outputs.issuerUrl).toBe(`${server.url}/p/${outputs.providerId}`);
    expect(outputs.stsTokenClaims).toMatchObject({
      aud: "sts.amazonaws.com",
      lifetimeSeconds: 900,
    });
    expect(outputs.ordersTokenClaims).toMatchObject({
      aud: "https://orders.example.com",
      scope: "orders:read",
    });

    await project.ok(["preview", "--expect-no-changes"]);

    // The state holds the client secrets only as ciphertext, and never the management token;
    // the CLI never printed them either (the transcript is taken before asking for plaintext).
    const printed = project.transcript();
    const plain = (await project.ok(["stack", "export", "--show-secrets"])).stdout;
    const exported = (await project.ok(["stack", "export"])).stdout;
    const clientSecrets = secretOutputs(JSON.parse(plain), "clientSecret");
    expect(clientSecrets).toHaveLength(2);
    for (const secret of [...clientSecrets, server.adminToken]) {
      expect(exported).not.toContain(secret);
      expect(printed).not.toContain(secret);
    }

    const destroy = await project.ok(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.stdout).toMatch(/- 6 deleted/);
    const providers = await fetch(`${server.url}/v1/providers`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(await providers.json()).toEqual([]);
  });
});
