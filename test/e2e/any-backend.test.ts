import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementApplication } from "../support/auth0-tenant";
import { startTestServer, type TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject, type PulumiProject } from "../support/pulumi-project";

/** A secret value of an export with `--show-secrets`: the engine's envelope, or the value. */
function plaintextOf(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "plaintext" in value) {
    return JSON.parse(String((value as { plaintext: unknown }).plaintext));
  }
  return value;
}

/** Short, so the stack outlives its first Management API tokens; the clock jumps, no sleeping. */
const MANAGEMENT_TOKEN_LIFETIME_SECONDS = 30;

// examples/any-backend, one program with three stack files that differ only in grants:backend,
// run through the real CLI against one grant server, which speaks all three dialects.
describe("examples/any-backend", { timeout: 420_000 }, () => {
  let server: TestServer;
  let clockOffsetMs = 0;
  let deployer: { clientId: string; clientSecret: string };
  const projects: PulumiProject[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      now: () => Date.now() + clockOffsetMs,
      managementTokenLifetimeSeconds: MANAGEMENT_TOKEN_LIFETIME_SECONDS,
    });
    deployer = await createManagementApplication(server);
  });
  afterAll(async () => {
    for (const project of projects) project.cleanup();
    await server?.close();
  });

  const example = (env: Record<string, string>) => {
    const project = copyPulumiProject(path.join(projectRoot, "examples", "any-backend"), { env });
    projects.push(project);
    return project;
  };
  const admin = (pathname: string, token = server.adminToken) =>
    fetch(`${server.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });

  /** up → the outputs → a preview that must show no changes; the stack stays up. */
  async function upAndPreview(project: PulumiProject, stack: string) {
    await project.ok(["stack", "select", "--create", stack]);
    await project.ok(["up", "--yes", "--skip-preview", "--stack", stack]);
    const outputs = JSON.parse(
      (await project.ok(["stack", "output", "--json", "--stack", stack])).stdout,
    ) as {
      issuerUrl: string;
      clientIds: { reporter: string; biller: string };
      tokenScopes: string[];
    };
    expect(outputs.tokenScopes).toEqual(["reports:read"]);
    expect(outputs.clientIds.reporter).not.toBe(outputs.clientIds.biller);
    await project.ok(["preview", "--expect-no-changes", "--stack", stack]);
    return outputs;
  }

  /**
   * The exported state holds none of the secrets: the clients' secrets (read from the export
   * with `--show-secrets`), tokens, keys. Answers the backend each Client records.
   */
  async function expectNoPlaintextSecret(
    project: PulumiProject,
    stack: string,
    alsoSecret: readonly string[],
  ): Promise<unknown[]> {
    const exported = (await project.ok(["stack", "export", "--stack", stack])).stdout;
    const revealed = JSON.parse(
      (await project.ok(["stack", "export", "--show-secrets", "--stack", stack])).stdout,
    ) as { deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] } };
    const clients = (revealed.deployment.resources ?? []).filter((resource) =>
      resource.type.endsWith("grants:Client"),
    );
    const clientSecrets = clients.map((resource) => plaintextOf(resource.outputs?.clientSecret));
    expect(clientSecrets).toEqual([expect.any(String), expect.any(String)]);
    for (const secret of [...clientSecrets, ...alsoSecret]) expect(exported).not.toContain(secret);
    // No access token (a JWT) either: the program's token stays out of state.
    expect(exported).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    return clients.map((resource) => resource.outputs?.backend);
  }

  async function destroy(project: PulumiProject, stack: string) {
    await project.ok(["destroy", "--yes", "--skip-preview", "--stack", stack]);
    // Only the deployer's own grant on the Management API is left.
    const left = (await (await admin("/api/v2/client-grants")).json()) as { audience: string }[];
    expect(left.map((grant) => grant.audience)).toEqual([`${server.url}/api/v2/`]);
  }

  it("runs on useGrant: a provider, two useGrant clients, three grants, a token", async () => {
    const project = example({ GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken });
    const outputs = await upAndPreview(project, "usegrant");
    expect(outputs.issuerUrl).toMatch(new RegExp(`^${server.url}/p/`));
    expect(await expectNoPlaintextSecret(project, "usegrant", [server.adminToken])).toEqual([
      undefined,
      undefined,
    ]);
    await destroy(project, "usegrant");
    const providers = (await (await admin("/v1/providers")).json()) as { name: string }[];
    expect(providers.filter((provider) => provider.name === "any-backend")).toEqual([]);
  });

  it("runs on nevisMeta: the provider's setup, two nevisMeta clients, three grants, a token", async () => {
    const project = example({ GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken });
    const outputs = await upAndPreview(project, "nevis");
    expect(outputs.issuerUrl).toMatch(new RegExp(`^${server.url}/p/`));
    expect(await expectNoPlaintextSecret(project, "nevis", [server.adminToken])).toEqual([
      "nevis",
      "nevis",
    ]);
    await destroy(project, "nevis");
  });

  it("runs on Auth0 with only a domain and client credentials, and outlives its first management token", async () => {
    // No admin token: the provider fetches its own Management API tokens.
    const project = example({
      GRANTS_AUTH0_DOMAIN: server.url,
      GRANTS_AUTH0_CLIENT_ID: deployer.clientId,
      GRANTS_AUTH0_CLIENT_SECRET: deployer.clientSecret,
    });
    const outputs = await upAndPreview(project, "auth0");
    expect(outputs.issuerUrl).toBe(`${server.url}/`);
    const applications = (await (await admin("/api/v2/clients?fields=name")).json()) as {
      name: string;
    }[];
    expect(applications.map((app) => app.name).sort()).toEqual(
      ["billing-worker", "pulumi deployer", "reporting-worker"].sort(),
    );
    expect(
      await expectNoPlaintextSecret(project, "auth0", [server.adminToken, deployer.clientSecret]),
    ).toEqual(["auth0", "auth0"]);

    // Every token issued so far expires: the server's clock moves past their lifetime.
    const earlier = (await (
      await fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: deployer.clientId,
          client_secret: deployer.clientSecret,
          audience: `${server.url}/api/v2/`,
        }).toString(),
      })
    ).json()) as { access_token: string };
    expect((await admin("/api/v2/clients", earlier.access_token)).status).toBe(200);
    clockOffsetMs += (MANAGEMENT_TOKEN_LIFETIME_SECONDS + 60) * 1000;
    expect((await admin("/api/v2/clients", earlier.access_token)).status).toBe(401);

    await project.ok(["refresh", "--yes", "--expect-no-changes", "--stack", "auth0"]);
    await destroy(project, "auth0");
    const left = (await (await admin("/api/v2/clients?fields=name")).json()) as { name: string }[];
    expect(left.map((app) => app.name)).toEqual(["pulumi deployer"]);
  });
});
