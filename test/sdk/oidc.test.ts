import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GRANTS_FORBIDDEN,
  GRANTS_INVALID_RESPONSE,
  GRANTS_UNAUTHORIZED,
  createOidcClient,
  isGrantsError,
} from "../../sdk";
import type { OidcClient } from "../../sdk";
import { json, startStubServer } from "./_support/stub-server";
import type { StubServer } from "./_support/stub-server";
import { failure } from "./_support/failure";

const SECRET = "s3cr3t+/=&value";
const token = { access_token: "eyJ.x.y", token_type: "Bearer", expires_in: 3600 };

// The OAuth/OIDC calls against a stub issuer; the grant server's own endpoints are exercised in
// round-trip.test.ts.
describe("grant_type=client_credentials and discovery", () => {
  let stub: StubServer;
  let oidc: OidcClient;
  let issuer: string;

  beforeEach(async () => {
    stub = await startStubServer();
    issuer = `${stub.url}/tenant`;
    oidc = createOidcClient({ retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 2 } });
  });
  afterEach(async () => {
    await oidc.close();
    await stub.close();
  });

  const discoveryDocument = (overrides: Record<string, unknown> = {}) => ({
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks`,
    subject_types_supported: ["public"],
    response_types_supported: [],
    id_token_signing_alg_values_supported: ["RS256"],
    ...overrides,
  });

  it("authenticates with client_secret_basic by default, form-encoding id and secret", async () => {
    stub.handle((_, res) => json(res, 200, token));
    const answer = await oidc.oauth.clientCredentials({
      tokenUrl: `${stub.url}/oauth/token`,
      clientId: "client id",
      clientSecret: SECRET,
      audience: "https://api.example.com",
      scope: ["read:a", "write:b"],
    });
    expect(answer).toEqual(token);
    const [request] = stub.requests;
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const basic = Buffer.from(
      String(request?.headers.authorization).replace(/^Basic /, ""),
      "base64",
    ).toString();
    const [id, secret] = basic
      .split(":")
      .map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
    expect(id).toBe("client id");
    expect(secret).toBe(SECRET);
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      audience: "https://api.example.com",
      scope: "read:a write:b",
    });
  });

  it("sends id and secret in the form with client_secret_post", async () => {
    stub.handle((_, res) => json(res, 200, token));
    await oidc.oauth.clientCredentials({
      tokenUrl: `${stub.url}/oauth/token`,
      clientId: "cid",
      clientSecret: SECRET,
      audience: "api",
      scope: "a b",
      authMethod: "client_secret_post",
    });
    const request = stub.requests[0];
    expect(request?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: "cid",
      client_secret: SECRET,
      audience: "api",
      scope: "a b",
    });
  });

  it("finds the token endpoint through the issuer's discovery document", async () => {
    stub.handle((request, res) => {
      if (request.url === "/tenant/.well-known/openid-configuration") {
        json(res, 200, discoveryDocument({ token_endpoint: `${stub.url}/elsewhere/token` }));
      } else json(res, 200, token);
    });
    await oidc.oauth.clientCredentials({
      issuer: `${issuer}/`,
      clientId: "cid",
      clientSecret: SECRET,
      audience: "api",
    });
    expect(stub.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /tenant/.well-known/openid-configuration",
      "POST /elsewhere/token",
    ]);
  });

  it("falls back to <issuer>/oauth/token when discovery names no token endpoint", async () => {
    stub.handle((request, res) => {
      if (request.method === "GET") json(res, 200, discoveryDocument());
      else json(res, 200, token);
    });
    await oidc.oauth.clientCredentials({
      issuer,
      clientId: "c",
      clientSecret: SECRET,
      audience: "api",
    });
    expect(stub.requests[1]?.url).toBe("/tenant/oauth/token");
  });

  it("refuses a discovery document that names another issuer", async () => {
    stub.handle((_, res) => json(res, 200, discoveryDocument({ issuer: "https://evil.example" })));
    const error = await failure(oidc.discovery.get(issuer));
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
  });

  it("maps invalid_client to GRANTS_UNAUTHORIZED even when answered with 400", async () => {
    stub.handle((_, res) =>
      json(res, 400, {
        error: "invalid_client",
        error_description: "Client authentication failed",
      }),
    );
    const error = await failure(
      oidc.oauth.clientCredentials({
        tokenUrl: `${stub.url}/oauth/token`,
        clientId: "cid",
        clientSecret: SECRET,
        audience: "api",
      }),
    );
    expect(isGrantsError(error, GRANTS_UNAUTHORIZED)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      body: { error: "invalid_client", error_description: "Client authentication failed" },
    });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(SECRET);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(encodeURIComponent(SECRET));
  });

  it("maps access_denied with 403 to GRANTS_FORBIDDEN", async () => {
    stub.handle((_, res) =>
      json(res, 403, { error: "access_denied", error_description: "no client grant" }),
    );
    const error = await failure(
      oidc.oauth.clientCredentials({
        tokenUrl: `${stub.url}/oauth/token`,
        clientId: "cid",
        clientSecret: SECRET,
        audience: "api",
      }),
    );
    expect(isGrantsError(error, GRANTS_FORBIDDEN)).toBe(true);
    expect((error as Error).message).toMatch(/access_denied: no client grant$/);
  });

  it("retries a token request on 503: it changes nothing on the server", async () => {
    let calls = 0;
    stub.handle((_, res) => {
      calls += 1;
      if (calls === 1) json(res, 503, { error: "temporarily_unavailable" });
      else json(res, 200, token);
    });
    await expect(
      oidc.oauth.clientCredentials({
        tokenUrl: `${stub.url}/oauth/token`,
        clientId: "cid",
        clientSecret: SECRET,
        audience: "api",
      }),
    ).resolves.toEqual(token);
    expect(stub.requests).toHaveLength(2);
  });

  it("rejects a token response that is not a Bearer token", async () => {
    stub.handle((_, res) => json(res, 200, { ...token, token_type: "DPoP" }));
    const error = await failure(
      oidc.oauth.clientCredentials({
        tokenUrl: `${stub.url}/oauth/token`,
        clientId: "cid",
        clientSecret: SECRET,
        audience: "api",
      }),
    );
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
    expect(error).toMatchObject({ issues: [{ path: "token_type" }] });
  });

  it("fetches a JWK Set, keeping key members as sent", async () => {
    const keys = { keys: [{ kty: "RSA", kid: "k1", n: "abc", e: "AQAB", use: "sig" }] };
    stub.handle((_, res) => json(res, 200, keys));
    await expect(oidc.jwks.get(`${issuer}/.well-known/jwks`)).resolves.toEqual(keys);
  });
});
