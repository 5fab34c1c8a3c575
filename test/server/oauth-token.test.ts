import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  discoveryDocumentSchema,
  jwksSchema,
  oauthErrorSchema,
  tokenResponseSchema,
} from "../../sdk/schemas/oauth";
import type { Provider } from "../../sdk/schemas/provider";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";
import { keyIdOf, verifyWithDiscovery } from "./_jose";

const API = "https://api.example.test";

interface TokenCall {
  status: number;
  headers: Headers;
  body: unknown;
}

async function requestToken(
  issuer: string,
  params: Record<string, string>,
  options: { json?: boolean; basic?: [string, string]; headers?: Record<string, string> } = {},
): Promise<TokenCall> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.basic) {
    const [id, secret] = options.basic;
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
  }
  let body: string;
  if (options.json) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(params);
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(params).toString();
  }
  const response = await fetch(`${issuer}/oauth/token`, { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

function expectOAuthError(result: TokenCall, status: number, error: string): string {
  expect(result.status).toBe(status);
  const body = oauthErrorSchema.parse(result.body);
  expect(body.error).toBe(error);
  expect(result.headers.get("cache-control")).toBe("no-store");
  return body.error_description ?? "";
}

describe("grant_type=client_credentials at <issuer>/oauth/token", () => {
  let server: TestServer;
  let provider: Provider;
  let client: { id: string; clientSecret: string; subject?: string | undefined };

  beforeAll(async () => {
    server = await startTestServer();
    provider = await createProvider(server);
    client = await createClient(server, provider.id);
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience: API, scope: ["read:items", "write:items"] },
      }),
      201,
    );
  });
  afterAll(() => server.close());

  it("serves a discovery document naming the token endpoint, JWKS and supported methods", async () => {
    const response = await fetch(provider.discoveryUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(discoveryDocumentSchema.parse(await response.json())).toEqual({
      issuer: provider.issuer,
      jwks_uri: `${provider.issuer}/.well-known/jwks`,
      token_endpoint: `${provider.issuer}/oauth/token`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
      ],
      token_endpoint_auth_signing_alg_values_supported: [
        "RS256",
        "RS384",
        "RS512",
        "PS256",
        "PS384",
        "PS512",
        "ES256",
        "ES384",
        "ES512",
        "EdDSA",
      ],
      subject_types_supported: ["public"],
      response_types_supported: [],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "client_id", "scope"],
      scopes_supported: [],
    });
    const jwks = await fetch(provider.jwksUri!);
    expect(jwks.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const keys = jwksSchema.parse(await jwks.json()).keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      kty: "RSA",
      alg: "RS256",
      use: "sig",
      kid: expect.any(String),
    });
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("issues a token for form parameters with client_secret_post; it verifies against the JWKS", async () => {
    const result = await requestToken(provider.issuer!, {
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: client.clientSecret,
      audience: API,
    });
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    const token = tokenResponseSchema.parse(result.body);
    expect(token).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: "read:items write:items",
    });

    const { payload, protectedHeader } = await verifyWithDiscovery(token.access_token, {
      discoveryUrl: provider.discoveryUrl!,
      audience: API,
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: provider.issuer,
      sub: client.subject,
      aud: API,
      client_id: client.id,
      scope: "read:items write:items",
      jti: expect.any(String),
    });
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it("issues a token for a JSON body with client_secret_basic, narrowed to the requested scope", async () => {
    const result = await requestToken(
      provider.issuer!,
      { grant_type: "client_credentials", audience: API, scope: "read:items" },
      { json: true, basic: [client.id, client.clientSecret] },
    );
    expect(result.status).toBe(200);
    const token = tokenResponseSchema.parse(result.body);
    expect(token.scope).toBe("read:items");
    const { payload } = await verifyWithDiscovery(token.access_token, {
      discoveryUrl: provider.discoveryUrl!,
      audience: API,
    });
    expect(payload.scope).toBe("read:items");
  });

  it("refuses a scope the grant does not hold with invalid_scope", async () => {
    const description = expectOAuthError(
      await requestToken(provider.issuer!, {
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: client.clientSecret,
        audience: API,
        scope: "read:items delete:items",
      }),
      400,
      "invalid_scope",
    );
    expect(description).toBe("scope: not granted: delete:items");
  });

  it("grants any requested scope when the grant allows all scopes", async () => {
    const audience = "https://all-scopes.example.test";
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience, allow_all_scopes: true },
      }),
      201,
    );
    const result = await requestToken(provider.issuer!, {
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: client.clientSecret,
      audience,
      scope: "anything:at-all",
    });
    expect(tokenResponseSchema.parse(result.body).scope).toBe("anything:at-all");
  });

  it("refuses an audience without a client grant, and a user-only grant, with unauthorized_client", async () => {
    expectOAuthError(
      await requestToken(provider.issuer!, {
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: client.clientSecret,
        audience: "https://ungranted.example.test",
      }),
      400,
      "unauthorized_client",
    );
    const audience = "https://user-only.example.test";
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience, subject_type: "user" },
      }),
      201,
    );
    expectOAuthError(
      await requestToken(provider.issuer!, {
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: client.clientSecret,
        audience,
      }),
      400,
      "unauthorized_client",
    );
  });

  it("answers a wrong secret and an unknown client alike: 401 invalid_client", async () => {
    const wrong = await requestToken(provider.issuer!, {
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: "not-the-secret",
      audience: API,
    });
    const unknown = await requestToken(provider.issuer!, {
      grant_type: "client_credentials",
      client_id: "8d0f0e8a-1111-4111-8111-111111111111",
      client_secret: "whatever",
      audience: API,
    });
    expectOAuthError(wrong, 401, "invalid_client");
    expectOAuthError(unknown, 401, "invalid_client");
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers.get("www-authenticate")).toBeNull();
  });

  it("challenges a failed client_secret_basic with WWW-Authenticate: Basic", async () => {
    const result = await requestToken(
      provider.issuer!,
      { grant_type: "client_credentials", audience: API },
      { basic: [client.id, "wrong"] },
    );
    expectOAuthError(result, 401, "invalid_client");
    expect(result.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  });

  it("does not let a client obtain tokens from another provider's issuer", async () => {
    const other = await createProvider(server, { name: "Other issuer", description: "x" });
    expectOAuthError(
      await requestToken(other.issuer!, {
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: client.clientSecret,
        audience: API,
      }),
      401,
      "invalid_client",
    );
  });

  it("rejects malformed requests with invalid_request or unsupported_grant_type", async () => {
    const credentials = { client_id: client.id, client_secret: client.clientSecret };
    expectOAuthError(
      await requestToken(provider.issuer!, { ...credentials, audience: API }),
      400,
      "invalid_request",
    );
    expectOAuthError(
      await requestToken(provider.issuer!, {
        ...credentials,
        grant_type: "password",
        audience: API,
      }),
      400,
      "unsupported_grant_type",
    );
    expect(
      expectOAuthError(
        await requestToken(provider.issuer!, { ...credentials, grant_type: "client_credentials" }),
        400,
        "invalid_request",
      ),
    ).toBe("audience: is required");
    expect(
      expectOAuthError(
        await requestToken(
          provider.issuer!,
          { grant_type: "client_credentials", client_secret: client.clientSecret, audience: API },
          { basic: [client.id, client.clientSecret] },
        ),
        400,
        "invalid_request",
      ),
    ).toMatch(/one method/);
    const repeated = await fetch(`${provider.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&audience=a&audience=b&client_id=${client.id}&client_secret=${client.clientSecret}`,
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toEqual({
      error: "invalid_request",
      error_description: "audience: must not be repeated",
    });
  });

  it("answers an unknown issuer path with 404", async () => {
    const result = await requestToken(`${server.url}/p/00000000-0000-4000-8000-000000000000`, {
      grant_type: "client_credentials",
    });
    expect(result.status).toBe(404);
    expect(oauthErrorSchema.parse(result.body).error).toBe("not_found");
  });

  it("answers 404 at a deleted provider's issuer, also to the credentials its client had", async () => {
    const gone = await createProvider(server, { name: "Deleted issuer", description: "x" });
    const itsClient = await createClient(server, gone.id);
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: itsClient.id, audience: API },
      }),
      201,
    );
    const params = {
      grant_type: "client_credentials",
      client_id: itsClient.id,
      client_secret: itsClient.clientSecret,
      audience: API,
    };
    expect((await requestToken(gone.issuer!, params)).status).toBe(200);
    expectStatus(await call(server, "DELETE", `/v1/providers/${gone.id}`), 204);

    const result = await requestToken(gone.issuer!, params);
    expect(result.status).toBe(404);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(oauthErrorSchema.parse(result.body)).toEqual({
      error: "not_found",
      error_description: "No issuer at this path",
    });
    expect((await requestToken(`${server.url}/p/not-a-provider-id`, params)).status).toBe(404);
  });
});

describe("signing key rotation", () => {
  let server: TestServer;
  let clock = Date.now();
  beforeAll(async () => {
    clock = Date.now();
    server = await startTestServer({ now: () => clock });
  });
  afterAll(() => server.close());

  it("keeps old tokens verifiable after a rotation and signs new ones with the new kid", async () => {
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience: API },
      }),
      201,
    );
    const mint = async () =>
      tokenResponseSchema.parse(
        (
          await requestToken(provider.issuer!, {
            grant_type: "client_credentials",
            client_id: client.id,
            client_secret: client.clientSecret,
            audience: API,
          })
        ).body,
      ).access_token;
    const minted = async () =>
      (
        expectStatus(
          await call(server, "POST", `/v1/providers/${provider.id}/clients/${client.id}/tokens`),
          201,
        ).body as { accessToken: string }
      ).accessToken;

    const oldTokens = [await mint(), await minted()];
    const oldKid = keyIdOf(oldTokens[0]!);
    const rotated = expectStatus(
      await call(server, "POST", `/v1/providers/${provider.id}/keys/rotate`, {
        body: { algorithm: "ES256" },
      }),
      201,
    ).body as { kid: string };
    expect(rotated.kid).not.toBe(oldKid);

    const newTokens = [await mint(), await minted()];
    for (const token of newTokens) expect(keyIdOf(token)).toBe(rotated.kid);
    for (const token of [...oldTokens, ...newTokens]) {
      await verifyWithDiscovery(token, { discoveryUrl: provider.discoveryUrl!, audience: API });
    }
    const discovery = discoveryDocumentSchema.parse(
      await (await fetch(provider.discoveryUrl!)).json(),
    );
    expect(discovery.id_token_signing_alg_values_supported).toEqual(["ES256", "RS256"]);

    // 48 hours later every token of the old key has expired, and the key leaves the JWKS.
    const kids = async () =>
      jwksSchema.parse(await (await fetch(provider.jwksUri!)).json()).keys.map((key) => key.kid);
    expect(await kids()).toEqual([rotated.kid, oldKid]);
    clock += 172_800_000 - 1_000;
    expect(await kids()).toEqual([rotated.kid, oldKid]);
    clock += 2_000;
    expect(await kids()).toEqual([rotated.kid]);
  });
});
