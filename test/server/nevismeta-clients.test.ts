import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { databaseSnapshot } from "./_database";
import { createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";
import type { HttpResult } from "./_http";

const MODULE_PATH = "/nevismeta/rest/v2/modules/oauthv2/setups";

describe("nevisMeta clients (/nevismeta/rest/v2/modules/oauthv2/setups/{setupId}/clients)", () => {
  let server: TestServer;
  let setupId: string;
  let publicJwk: Record<string, unknown>;
  let privateJwk: Record<string, unknown>;

  const basic = (password: string, user = "admin") =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const nevis = (method: string, path: string, body?: unknown): Promise<HttpResult> =>
    call(server, method, `${MODULE_PATH}${path}`, {
      token: null,
      headers: { authorization: basic(server.adminToken) },
      body,
    });

  beforeAll(async () => {
    server = await startTestServer();
    setupId = (await createProvider(server)).id;
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    publicJwk = { ...(await exportJWK(publicKey)), kid: "k1", use: "sig", alg: "ES256" };
    privateJwk = await exportJWK(privateKey);
  });
  afterAll(() => server.close());

  /** Every field of seed 002's body, with valid values. */
  const fullBody = () => ({
    name: "billing-worker",
    client_id: "billing-worker-01",
    client_secret: "a-chosen-secret-0123456789",
    notSentGrantType: true,
    metadata: [
      { name: "client_name", locale: "de", value: "Abrechnung" },
      { name: "client_name", locale: "en-GB", value: "Billing" },
    ],
    client_uri: "https://billing.example.test",
    jwks: { keys: [publicJwk] },
    logo_uri: "https://billing.example.test/logo.png",
    valid_from: "2000-01-23T04:56:07.000+00:00",
    token_endpoint_auth_method: "private_key_jwt",
    require_pushed_authorization_requests: true,
    pkce_mode: "S256-required",
    access_token_ttl: 300,
    policy_uri: "https://billing.example.test/policy",
    id_token_signed_response_alg: "ES256",
    owner: "team-billing",
    persisted_consent_ttl: 7,
    grant_types: ["client_credentials", "refresh_token"],
    id_token_ttl: 2,
    force_reauthentication: true,
    redirect_uris: ["https://billing.example.test/callback", "com.example.app:/cb"],
    confidentiality_type: "confidential",
    id_token_encrypted_response_alg: "RSA-OAEP-256",
    id_token_encrypted_response_enc: "A128CBC-HS256",
    comment: "runs the nightly invoices",
    scopes: ["invoices:read", "invoices:write"],
    tos_uri: "https://billing.example.test/tos",
    contacts: ["billing@example.test"],
    response_types: ["code", "code id_token"],
    refresh_token_ttl: 5,
  });
  const expectedView = () => {
    const { client_secret: _secret, ...view } = fullBody();
    return view;
  };

  it("lists each provider as a setup of module oauthv2, and 404s another module or setup", async () => {
    expect(expectStatus(await nevis("GET", ""), 200).body).toEqual({
      setupIds: expect.arrayContaining([setupId]),
    });
    const setup = expectStatus(await nevis("GET", `/${setupId}`), 200).body;
    expect(setup).toMatchObject({
      setupId,
      client_defaults: {
        access_token_ttl: 3600,
        refresh_token_ttl: 15552000,
        id_token_ttl: 3600,
        persisted_consent_ttl: 31104000,
        force_reauthentication: false,
        grant_types: [],
      },
    });
    const otherModule = await call(server, "GET", "/nevismeta/rest/v2/modules/saml/setups", {
      token: null,
      headers: { authorization: basic(server.adminToken) },
    });
    expect(otherModule.status).toBe(404);
    expect(otherModule.body).toMatchObject({ status: 404, code: "inexistent_module" });
    const unknownSetup = await nevis("GET", "/6c0bc54b-3f37-4bb3-9d44-2b9a8f1a0009/clients");
    expect(unknownSetup.status).toBe(404);
    expect(unknownSetup.body).toMatchObject({ code: "inexistent_setup" });
  });

  it("takes HTTP Basic with the admin token as password (any user name), nothing else", async () => {
    const path = `${MODULE_PATH}/${setupId}/clients`;
    const wrong = await call(server, "GET", path, {
      token: null,
      headers: { authorization: basic("wrong") },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(wrong.body).toMatchObject({ status: 401, code: "invalid_token" });
    // The bearer form of the other dialects is not nevisMeta's.
    expect((await call(server, "GET", path)).status).toBe(401);
    const otherUser = await call(server, "GET", path, {
      token: null,
      headers: { authorization: basic(server.adminToken, "ninja") },
    });
    expect(otherUser.status).toBe(200);
  });

  it("round-trips every seed-002 field through create → get → put → get", async () => {
    const created = expectStatus(await nevis("POST", `/${setupId}/clients`, fullBody()), 201);
    const { clientId } = created.body as { clientId: string };
    // A chosen secret is not echoed; the view never shows a secret.
    expect(created.body).toEqual({ clientId, client_id: "billing-worker-01" });
    const first = expectStatus(await nevis("GET", `/${setupId}/clients/${clientId}`), 200);
    expect(first.body).toEqual(expectedView());

    const changed = {
      ...fullBody(),
      name: "billing-worker-2",
      access_token_ttl: 600,
      scopes: ["invoices:read"],
      metadata: [{ name: "client_name", value: "Billing" }],
      owner: "team-finance",
    };
    const put = expectStatus(await nevis("PUT", `/${setupId}/clients/${clientId}`, changed), 200);
    const { client_secret: _, ...changedView } = changed;
    expect(put.body).toEqual(changedView);
    expect(expectStatus(await nevis("GET", `/${setupId}/clients/${clientId}`), 200).body).toEqual(
      changedView,
    );
    expectStatus(await nevis("DELETE", `/${setupId}/clients/${clientId}`), 204);
    expectStatus(await nevis("GET", `/${setupId}/clients/${clientId}`), 404);
  });

  it("generates client_id and client_secret when omitted, shows the secret once, fills setup defaults", async () => {
    const created = expectStatus(
      await nevis("POST", `/${setupId}/clients`, {
        name: "MINIMAL",
        confidentiality_type: "public",
      }),
      201,
    ).body as { clientId: string; client_id: string; client_secret: string };
    expect(created.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = expectStatus(await nevis("GET", `/${setupId}/clients/${created.clientId}`), 200);
    expect(view.body).toEqual({
      name: "MINIMAL",
      client_id: created.client_id,
      confidentiality_type: "public",
      token_endpoint_auth_method: "none",
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      access_token_ttl: 3600,
      refresh_token_ttl: 15552000,
      id_token_ttl: 3600,
      persisted_consent_ttl: 31104000,
      metadata: [],
      contacts: [],
      id_token_signed_response_alg: "RS256",
      require_pushed_authorization_requests: false,
      force_reauthentication: false,
      notSentGrantType: false,
    });
    expect(view.text).not.toContain(created.client_secret);
    expect(databaseSnapshot(server.dataDir)).not.toContain(created.client_secret);
    expect(server.logs()).not.toContain(created.client_secret);
    // PUT without credentials keeps them.
    const put = expectStatus(
      await nevis("PUT", `/${setupId}/clients/${created.clientId}`, { name: "MINIMAL-2" }),
      200,
    );
    expect(put.body).toMatchObject({
      client_id: created.client_id,
      confidentiality_type: "confidential",
    });
  });

  it("filters the list by name, owner and metadata.<name>, all together", async () => {
    const make = async (body: Record<string, unknown>) =>
      (
        expectStatus(await nevis("POST", `/${setupId}/clients`, body), 201).body as {
          clientId: string;
        }
      ).clientId;
    const a = await make({
      name: "filter-a",
      owner: "ops",
      metadata: [{ name: "tier", value: "gold" }],
    });
    const b = await make({
      name: "filter-b",
      owner: "ops",
      metadata: [{ name: "tier", value: "silver" }],
    });
    const c = await make({ name: "filter-a", owner: "dev" });
    const list = async (query: string) =>
      (
        expectStatus(await nevis("GET", `/${setupId}/clients?${query}`), 200).body as {
          clientIds: string[];
        }
      ).clientIds;
    expect(await list("owner=ops")).toEqual([a, b]);
    expect(await list("name=filter-a")).toEqual([a, c]);
    expect(await list("owner=ops&metadata.tier=gold")).toEqual([a]);
    expect(await list("metadata.tier=bronze")).toEqual([]);
    const unknown = await nevis("GET", `/${setupId}/clients?colour=red`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ errors: [{ field: "colour" }] });
  });

  it("refuses a client_id another client holds with 409 naming client_id", async () => {
    expectStatus(
      await nevis("POST", `/${setupId}/clients`, { name: "x", client_id: "taken-id" }),
      201,
    );
    const again = await nevis("POST", `/${setupId}/clients`, { name: "y", client_id: "taken-id" });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "conflict", errors: [{ field: "client_id" }] });
  });

  const valid = { name: "bad-input" };
  const malformed: [string, () => unknown, string][] = [
    ["a missing name", () => ({}), "name"],
    ["an empty name", () => ({ name: "" }), "name"],
    ["an oversized name", () => ({ name: "n".repeat(256) }), "name"],
    ["a name that is not a string", () => ({ name: 7 }), "name"],
    ["an unknown field", () => ({ ...valid, colour: "red" }), "colour"],
    ["a camelCase misspelling", () => ({ ...valid, accessTokenTtl: 3 }), "accessTokenTtl"],
    ["a client_id with a colon", () => ({ ...valid, client_id: "a:b" }), "client_id"],
    ["a client_id with a space", () => ({ ...valid, client_id: "a b" }), "client_id"],
    ["a short client_secret", () => ({ ...valid, client_secret: "short" }), "client_secret"],
    ["an unknown grant type", () => ({ ...valid, grant_types: ["magic"] }), "grant_types[0]"],
    [
      "grant_types not a list",
      () => ({ ...valid, grant_types: "client_credentials" }),
      "grant_types",
    ],
    [
      "an unknown response type",
      () => ({ ...valid, response_types: ["code token id"] }),
      "response_types[0]",
    ],
    [
      "an unknown auth method",
      () => ({ ...valid, token_endpoint_auth_method: "tls_client_auth" }),
      "token_endpoint_auth_method",
    ],
    ["a negative access_token_ttl", () => ({ ...valid, access_token_ttl: -1 }), "access_token_ttl"],
    ["a zero access_token_ttl", () => ({ ...valid, access_token_ttl: 0 }), "access_token_ttl"],
    [
      "a fractional access_token_ttl",
      () => ({ ...valid, access_token_ttl: 1.5 }),
      "access_token_ttl",
    ],
    [
      "a string access_token_ttl",
      () => ({ ...valid, access_token_ttl: "3600" }),
      "access_token_ttl",
    ],
    ["a huge access_token_ttl", () => ({ ...valid, access_token_ttl: 1e12 }), "access_token_ttl"],
    [
      "a negative refresh_token_ttl",
      () => ({ ...valid, refresh_token_ttl: -5 }),
      "refresh_token_ttl",
    ],
    ["a negative id_token_ttl", () => ({ ...valid, id_token_ttl: -2 }), "id_token_ttl"],
    [
      "a negative persisted_consent_ttl",
      () => ({ ...valid, persisted_consent_ttl: -7 }),
      "persisted_consent_ttl",
    ],
    [
      "an unknown confidentiality",
      () => ({ ...valid, confidentiality_type: "secret" }),
      "confidentiality_type",
    ],
    ["an unknown pkce_mode", () => ({ ...valid, pkce_mode: "plain" }), "pkce_mode"],
    [
      "an unknown id token alg",
      () => ({ ...valid, id_token_signed_response_alg: "HS256" }),
      "id_token_signed_response_alg",
    ],
    [
      "an unknown encryption alg",
      () => ({ ...valid, id_token_encrypted_response_alg: "dir" }),
      "id_token_encrypted_response_alg",
    ],
    [
      "an unknown encryption enc",
      () => ({
        ...valid,
        id_token_encrypted_response_alg: "RSA-OAEP",
        id_token_encrypted_response_enc: "A1GCM",
      }),
      "id_token_encrypted_response_enc",
    ],
    [
      "enc without alg",
      () => ({ ...valid, id_token_encrypted_response_enc: "A128GCM" }),
      "id_token_encrypted_response_alg",
    ],
    ["a relative client_uri", () => ({ ...valid, client_uri: "/about" }), "client_uri"],
    ["a javascript: logo_uri", () => ({ ...valid, logo_uri: "javascript:alert(1)" }), "logo_uri"],
    ["an ftp policy_uri", () => ({ ...valid, policy_uri: "ftp://example.test/p" }), "policy_uri"],
    ["a tos_uri that is no URL", () => ({ ...valid, tos_uri: "terms" }), "tos_uri"],
    [
      "an oversized jwks_uri",
      () => ({ ...valid, jwks_uri: `https://example.test/${"k".repeat(2100)}` }),
      "jwks_uri",
    ],
    [
      "a redirect URI with a fragment",
      () => ({ ...valid, redirect_uris: ["https://example.test/cb#x"] }),
      "redirect_uris[0]",
    ],
    ["a relative redirect URI", () => ({ ...valid, redirect_uris: ["/cb"] }), "redirect_uris[0]"],
    [
      "a bad locale",
      () => ({ ...valid, metadata: [{ name: "client_name", locale: "not a locale", value: "x" }] }),
      "metadata[0].locale",
    ],
    [
      "a metadata entry without value",
      () => ({ ...valid, metadata: [{ name: "client_name" }] }),
      "metadata[0].value",
    ],
    [
      "a metadata entry with a bad name",
      () => ({ ...valid, metadata: [{ name: "client name", value: "x" }] }),
      "metadata[0].name",
    ],
    [
      "a metadata entry with an unknown member",
      () => ({ ...valid, metadata: [{ name: "n", value: "x", lang: "de" }] }),
      "metadata[0].lang",
    ],
    ["a malformed valid_from", () => ({ ...valid, valid_from: "tomorrow" }), "valid_from"],
    [
      "a valid_from without offset",
      () => ({ ...valid, valid_from: "2030-01-01T00:00:00" }),
      "valid_from",
    ],
    ["a scope with a space", () => ({ ...valid, scopes: ["read write"] }), "scopes[0]"],
    ["a scope with a quote", () => ({ ...valid, scopes: ['say"hi'] }), "scopes[0]"],
    [
      "too many contacts",
      () => ({ ...valid, contacts: Array.from({ length: 21 }, (_, i) => `c${i}@example.test`) }),
      "contacts",
    ],
    ["an oversized comment", () => ({ ...valid, comment: "c".repeat(2001) }), "comment"],
    ["an oversized owner", () => ({ ...valid, owner: "o".repeat(256) }), "owner"],
    [
      "a boolean that is a string",
      () => ({ ...valid, force_reauthentication: "yes" }),
      "force_reauthentication",
    ],
    [
      "notSentGrantType not a boolean",
      () => ({ ...valid, notSentGrantType: 1 }),
      "notSentGrantType",
    ],
    [
      "a private JWK member d",
      () => ({ ...valid, jwks: { keys: [privateJwk] } }),
      "jwks.keys[0].d",
    ],
    [
      "a symmetric JWK",
      () => ({ ...valid, jwks: { keys: [{ kty: "oct", k: "c2VjcmV0" }] } }),
      "jwks.keys[0].kty",
    ],
    [
      "a JWK that is no key",
      () => ({ ...valid, jwks: { keys: [{ kty: "EC", crv: "P-256", x: "AA", y: "AA" }] } }),
      "jwks.keys[0]",
    ],
    ["an empty JWK Set", () => ({ ...valid, jwks: { keys: [] } }), "jwks.keys"],
    [
      "a JWK for encryption",
      () => ({ ...valid, jwks: { keys: [{ ...publicJwk, use: "enc" }] } }),
      "jwks.keys[0].use",
    ],
    [
      "a JWK with a symmetric alg",
      () => ({ ...valid, jwks: { keys: [{ ...publicJwk, alg: "HS256" }] } }),
      "jwks.keys[0].alg",
    ],
    [
      "jwks beside jwks_uri",
      () => ({ ...valid, jwks: { keys: [publicJwk] }, jwks_uri: "https://example.test/jwks" }),
      "jwks_uri",
    ],
    [
      "private_key_jwt without jwks",
      () => ({ ...valid, token_endpoint_auth_method: "private_key_jwt" }),
      "jwks",
    ],
    [
      "a public client with a secret method",
      () => ({
        ...valid,
        confidentiality_type: "public",
        token_endpoint_auth_method: "client_secret_basic",
      }),
      "token_endpoint_auth_method",
    ],
    [
      "a confidential client with none",
      () => ({
        ...valid,
        confidentiality_type: "confidential",
        token_endpoint_auth_method: "none",
      }),
      "token_endpoint_auth_method",
    ],
  ];

  it(`refuses ${malformed.length} malformed bodies with 4xx naming the field, storing nothing`, async () => {
    expect(malformed.length).toBeGreaterThanOrEqual(40);
    const before = databaseSnapshot(server.dataDir);
    for (const [what, body, field] of malformed) {
      const result = await nevis("POST", `/${setupId}/clients`, body());
      expect(result.status, what).toBe(400);
      const error = result.body as { code: string; message: string; errors: { field: string }[] };
      expect(error.code, what).toBe("invalid_body");
      expect(
        error.errors.map((e) => e.field),
        what,
      ).toContain(field);
      expect(error.message, what).toContain(field);
    }
    expect(databaseSnapshot(server.dataDir)).toBe(before);
  });

  it("refuses the same malformed bodies on PUT and leaves the client as it was", async () => {
    const { clientId } = expectStatus(
      await nevis("POST", `/${setupId}/clients`, { name: "stable" }),
      201,
    ).body as { clientId: string };
    const before = databaseSnapshot(server.dataDir);
    for (const [what, body, field] of malformed) {
      const result = await nevis("PUT", `/${setupId}/clients/${clientId}`, body());
      expect(result.status, what).toBe(400);
      expect(
        (result.body as { errors: { field: string }[] }).errors.map((e) => e.field),
        what,
      ).toContain(field);
    }
    expect(databaseSnapshot(server.dataDir)).toBe(before);
  });

  it("refuses an oversized body with 413 in nevisMeta's shape", async () => {
    const result = await nevis("POST", `/${setupId}/clients`, {
      name: "big",
      comment: "x".repeat(70_000),
    });
    expect(result.status).toBe(413);
    expect(result.body).toMatchObject({ status: 413, code: "payload_too_large" });
  });
});
