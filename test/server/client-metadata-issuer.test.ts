import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import type { CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenResponseSchema } from "../../sdk/schemas/oauth";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";
import { verifyWithDiscovery } from "./_jose";

const AUDIENCE = "https://api.example.test";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

describe("grant_type=client_credentials honours the client's OAuth metadata", () => {
  let server: TestServer;
  let issuer: string;
  let providerId: string;
  // The server's clock: tests move it instead of sleeping.
  let clock = Date.parse("2030-06-01T12:00:00Z");
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let publicJwk: Record<string, unknown>;

  const basicAuth = () => `Basic ${Buffer.from(`admin:${server.adminToken}`).toString("base64")}`;

  /** Creates a nevisMeta client with a client grant for AUDIENCE; returns its ids and secret. */
  async function nevisClient(
    body: Record<string, unknown>,
    grantScopes: string[] = ["read", "write"],
  ): Promise<{ id: string; clientId: string; secret: string }> {
    const created = expectStatus(
      await call(
        server,
        "POST",
        `/nevismeta/rest/v2/modules/oauthv2/setups/${providerId}/clients`,
        {
          token: null,
          headers: { authorization: basicAuth() },
          body: { name: "workload", ...body },
        },
      ),
      201,
    ).body as { clientId: string; client_id: string; client_secret: string };
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: created.clientId, audience: AUDIENCE, scope: grantScopes },
      }),
      201,
    );
    return { id: created.clientId, clientId: created.client_id, secret: created.client_secret };
  }

  async function token(
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ grant_type: "client_credentials", audience: AUDIENCE, ...form }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
  });

  function assertion(
    clientId: string,
    options: { key?: CryptoKey; aud?: string; expiresIn?: number; jti?: string; iss?: string } = {},
  ): Promise<string> {
    const now = Math.floor(clock / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setIssuer(options.iss ?? clientId)
      .setSubject(clientId)
      .setAudience(options.aud ?? `${issuer}/oauth/token`)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 60))
      .setJti(options.jti ?? randomUUID())
      .sign(options.key ?? privateKey);
  }

  beforeAll(async () => {
    server = await startTestServer({ now: () => clock });
    const provider = await createProvider(server);
    providerId = provider.id;
    issuer = provider.issuer!;
    const pair = await generateKeyPair("ES256", { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
    otherKey = (await generateKeyPair("ES256")).privateKey;
  });
  afterAll(() => server.close());

  describe("token_endpoint_auth_method=private_key_jwt", () => {
    let client: { id: string; clientId: string; secret: string };
    beforeAll(async () => {
      client = await nevisClient({
        client_id: "signing-workload",
        token_endpoint_auth_method: "private_key_jwt",
        jwks: { keys: [publicJwk] },
        grant_types: ["client_credentials"],
        access_token_ttl: 300,
      });
    });

    it("issues a token for an assertion signed with the registered key, verifiable through discovery", async () => {
      const result = await token({
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(client.clientId),
      });
      expect(result.status).toBe(200);
      const body = tokenResponseSchema.parse(result.body);
      expect(body.expires_in).toBe(300);
      const { payload } = await verifyWithDiscovery(body.access_token, {
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        audience: AUDIENCE,
        currentDate: new Date(clock),
      });
      expect(payload.client_id).toBe("signing-workload");
      expect(payload.exp! - payload.iat!).toBe(300);
    });

    it("accepts the issuer as the assertion's audience, and client_id beside the assertion", async () => {
      const result = await token({
        client_id: client.clientId,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(client.clientId, { aud: issuer }),
      });
      expect(result.status).toBe(200);
    });

    it.each([
      ["a wrong key", { key: "other" }],
      ["an expired assertion", { expiresIn: -120 }],
      ["a wrong aud", { aud: "https://elsewhere.example.test/oauth/token" }],
      ["an exp too far ahead", { expiresIn: 3600 }],
      ["iss differing from sub", { iss: "someone-else" }],
    ] as const)("answers invalid_client for %s", async (_what, options) => {
      const result = await token({
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await assertion(client.clientId, {
          ...options,
          key: "key" in options ? otherKey : privateKey,
        }),
      });
      expect(result.status).toBe(401);
      expect(result.body.error).toBe("invalid_client");
    });

    it("answers invalid_client for a replayed jti", async () => {
      const signed = await assertion(client.clientId, { jti: "once-only" });
      const form = { client_assertion_type: ASSERTION_TYPE, client_assertion: signed };
      expect((await token(form)).status).toBe(200);
      const replay = await token(form);
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ error: "invalid_client" });
      expect(String(replay.body.error_description)).toMatch(/jti/);
    });

    it("refuses the generated secret: the client is registered for keys only", async () => {
      const result = await token({}, basic(client.clientId, client.secret));
      expect(result.status).toBe(401);
      expect(result.body.error).toBe("invalid_client");
    });

    it("refuses an assertion of the wrong type as invalid_request", async () => {
      const result = await token({
        client_assertion_type: "urn:example:other",
        client_assertion: await assertion(client.clientId),
      });
      expect(result).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    });
  });

  describe("secret methods", () => {
    it("lets a client_secret_basic client use Basic but not the body parameters", async () => {
      const client = await nevisClient({ grant_types: ["client_credentials"] });
      expect((await token({}, basic(client.clientId, client.secret))).status).toBe(200);
      const post = await token({ client_id: client.clientId, client_secret: client.secret });
      expect(post).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    });

    it("lets a client_secret_post client use both", async () => {
      const client = await nevisClient({
        grant_types: ["client_credentials"],
        token_endpoint_auth_method: "client_secret_post",
      });
      expect(
        (await token({ client_id: client.clientId, client_secret: client.secret })).status,
      ).toBe(200);
      expect((await token({}, basic(client.clientId, client.secret))).status).toBe(200);
    });
  });

  it("answers unauthorized_client when grant_types lacks client_credentials", async () => {
    const client = await nevisClient({ grant_types: ["authorization_code"] });
    const result = await token({}, basic(client.clientId, client.secret));
    expect(result).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
  });

  it("answers unauthorized_client to a public client (none), which has no credentials", async () => {
    const client = await nevisClient({
      confidentiality_type: "public",
      grant_types: ["client_credentials"],
    });
    const result = await token({ client_id: client.clientId });
    expect(result).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
  });

  it("issues tokens that live the client's access_token_ttl", async () => {
    const client = await nevisClient({ grant_types: ["client_credentials"], access_token_ttl: 90 });
    const result = await token({}, basic(client.clientId, client.secret));
    const body = tokenResponseSchema.parse(result.body);
    expect(body.expires_in).toBe(90);
    const { payload } = await verifyWithDiscovery(body.access_token, {
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      audience: AUDIENCE,
      currentDate: new Date(clock),
    });
    expect(payload.exp! - payload.iat!).toBe(90);
  });

  it("refuses a client whose valid_from lies ahead, until the clock passes it", async () => {
    const client = await nevisClient({
      grant_types: ["client_credentials"],
      valid_from: new Date(clock + 60_000).toISOString(),
    });
    const early = await token({}, basic(client.clientId, client.secret));
    expect(early).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    clock += 61_000;
    expect((await token({}, basic(client.clientId, client.secret))).status).toBe(200);
  });

  it("bounds what grants yield by the client's own scopes", async () => {
    const client = await nevisClient({ grant_types: ["client_credentials"], scopes: ["read"] });
    const all = tokenResponseSchema.parse(
      (await token({}, basic(client.clientId, client.secret))).body,
    );
    expect(all.scope).toBe("read");
    const write = await token({ scope: "write" }, basic(client.clientId, client.secret));
    expect(write).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
  });

  it("lists the supported auth methods and assertion algorithms in discovery", async () => {
    const document = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(document.token_endpoint_auth_methods_supported).toEqual([
      "client_secret_basic",
      "client_secret_post",
      "private_key_jwt",
    ]);
    expect(document.token_endpoint_auth_signing_alg_values_supported).toContain("ES256");
    expect(document.token_endpoint_auth_signing_alg_values_supported).not.toContain("HS256");
  });
});
