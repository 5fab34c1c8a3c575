import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

const LIFETIME_SECONDS = 600;

describe("the tenant token endpoint and Management API JWTs", () => {
  let server: TestServer;
  let clock = Date.now();
  let audience: string;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startTestServer({
      now: () => clock,
      managementTokenLifetimeSeconds: LIFETIME_SECONDS,
    });
    audience = `${server.url}/api/v2/`;
    const provider = await createProvider(server);
    const created = await createClient(server, provider.id);
    client = { clientId: created.id, clientSecret: created.clientSecret };
  });
  afterAll(() => server.close());

  async function grantManagementScopes(scope: string[]): Promise<string> {
    const grant = expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.clientId, audience, scope },
      }),
      201,
    );
    return (grant.body as { id: string }).id;
  }

  async function managementToken(scope?: string): Promise<{ status: number; body: unknown }> {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      audience,
    });
    if (scope !== undefined) form.set("scope", scope);
    const response = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    return { status: response.status, body: await response.json() };
  }

  it("refuses a Management API token to a client without a grant on the management audience", async () => {
    const refused = await managementToken();
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: "unauthorized_client" });
  });

  it("issues a JWT bounded by the client grant, verifiable through /.well-known/jwks.json", async () => {
    const grantId = await grantManagementScopes(["read:client_grants", "create:client_grants"]);
    try {
      const issued = await managementToken();
      expect(issued.status).toBe(200);
      const body = issued.body as { access_token: string; expires_in: number; scope: string };
      expect(body.expires_in).toBe(LIFETIME_SECONDS);
      expect(body.scope).toBe("read:client_grants create:client_grants");
      const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(body.access_token, jwks, {
        issuer: `${server.url}/`,
        audience,
        currentDate: new Date(clock),
      });
      expect(payload.client_id).toBe(client.clientId);
      expect(payload.sub).toBe(`${client.clientId}@clients`);

      const beyond = await managementToken("delete:client_grants");
      expect(beyond.status).toBe(400);
      expect(beyond.body).toMatchObject({ error: "invalid_scope" });
    } finally {
      expectStatus(await call(server, "DELETE", `/api/v2/client-grants/${grantId}`), 204);
    }
  });

  it("answers a JWT without delete:client_grants with 403 insufficient_scope on DELETE, and one with it with 204", async () => {
    const grantId = await grantManagementScopes(["read:client_grants", "update:client_grants"]);
    const weak = (await managementToken()).body as { access_token: string };

    const listed = await call(server, "GET", "/api/v2/client-grants", { token: weak.access_token });
    expect(listed.status).toBe(200);
    const refused = await call(server, "DELETE", `/api/v2/client-grants/${grantId}`, {
      token: weak.access_token,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message: "Insufficient scope; expected any of: delete:client_grants",
      errorCode: "insufficient_scope",
    });
    // The useGrant dialect is not part of the Management API: the admin token only.
    const usegrant = await call(server, "GET", "/v1/providers", { token: weak.access_token });
    expect(usegrant.status).toBe(403);

    expectStatus(
      await call(server, "PATCH", `/api/v2/client-grants/${grantId}`, {
        token: weak.access_token,
        body: { scope: ["read:client_grants", "delete:client_grants"] },
      }),
      200,
    );
    const strong = (await managementToken()).body as { access_token: string };
    const deleted = await call(server, "DELETE", `/api/v2/client-grants/${grantId}`, {
      token: strong.access_token,
    });
    expect(deleted.status).toBe(204);
  });

  it("answers an expired Management API JWT with 401", async () => {
    const grantId = await grantManagementScopes(["read:client_grants"]);
    try {
      const token = ((await managementToken()).body as { access_token: string }).access_token;
      expectStatus(await call(server, "GET", "/api/v2/client-grants", { token }), 200);
      clock += (LIFETIME_SECONDS + 1) * 1000;
      const expired = await call(server, "GET", "/api/v2/client-grants", { token });
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ errorCode: "invalid_token" });
    } finally {
      expectStatus(await call(server, "DELETE", `/api/v2/client-grants/${grantId}`), 204);
    }
  });

  it("issues other audiences at the root to the tenant's applications only: a client of another provider is invalid_client", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      audience: "https://api.example.test",
    });
    const response = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });
});
