import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient, createOidcClient, isGrantsError } from "../../sdk/index";
import type { GrantsClient, OidcClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";

const AUDIENCE = "https://api.example.test";

describe("the sdk with nevisMeta clients and private_key_jwt", () => {
  let server: TestServer;
  let grants: GrantsClient;
  let oidc: OidcClient;
  let setupId: string;
  let issuer: string;
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const privateJwk = { ...privateKey.export({ format: "jwk" }), kid: "k1" };
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "ES256" };

  beforeAll(async () => {
    server = await startTestServer();
    grants = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken, retry: false });
    oidc = createOidcClient({ retry: false });
    const provider = await grants.providers.create({ name: "issuer", description: "sdk tests" });
    setupId = provider.id;
    issuer = provider.issuer!;
  });
  afterAll(async () => {
    await grants.close();
    await oidc.close();
    await server.close();
  });

  it("manages nevisMeta clients through grants.nevisMeta with HTTP Basic", async () => {
    expect(await grants.nevisMeta.listSetups()).toContain(setupId);
    expect((await grants.nevisMeta.getSetup(setupId)).client_defaults.access_token_ttl).toBe(3600);
    const created = await grants.nevisMeta.clients.create(setupId, {
      name: "signer",
      client_id: "sdk-signer",
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [publicJwk as never] },
      grant_types: ["client_credentials"],
      access_token_ttl: 120,
      owner: "platform",
    });
    expect(created.client_id).toBe("sdk-signer");
    expect(await grants.nevisMeta.clients.list(setupId, { owner: "platform" })).toEqual([
      created.clientId,
    ]);
    const replaced = await grants.nevisMeta.clients.replace(setupId, created.clientId, {
      name: "signer",
      client_id: "sdk-signer",
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [publicJwk as never] },
      grant_types: ["client_credentials"],
      access_token_ttl: 120,
    });
    expect(replaced.owner).toBeUndefined();
    expect((await grants.nevisMeta.clients.get(setupId, created.clientId)).access_token_ttl).toBe(
      120,
    );
    await grants.clientGrants.create({
      client_id: created.clientId,
      audience: AUDIENCE,
      scope: ["read"],
    });
  });

  it.each([
    ["a PEM", () => privatePem],
    ["a private JWK", () => privateJwk],
    ["a private JWK as JSON text", () => JSON.stringify(privateJwk)],
  ])("gets a token signing the assertion with %s", async (_what, key) => {
    const token = await oidc.oauth.clientCredentials({
      issuer,
      clientId: "sdk-signer",
      privateKey: key(),
      audience: AUDIENCE,
    });
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 120, scope: "read" });
  });

  it("rejects a caller mistake without quoting the key", () => {
    const attempt = () =>
      oidc.oauth.clientCredentials({
        issuer,
        clientId: "sdk-signer",
        privateKey:
          "-----BEGIN PRIVATE KEY-----\nnot-a-key-but-secret-material\n-----END PRIVATE KEY-----",
        audience: AUDIENCE,
      });
    return expect(attempt()).rejects.toSatisfy((error: Error & { code?: string }) => {
      expect(error.code).toBe("ERR_INVALID_ARG_VALUE");
      expect(error.message).toContain("params.privateKey");
      expect(error.message).not.toContain("secret-material");
      return true;
    });
  });

  it("surfaces invalid_client for a key the client did not register", async () => {
    const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const error = await oidc.oauth
      .clientCredentials({
        issuer,
        clientId: "sdk-signer",
        privateKey: stranger.export({ type: "pkcs8", format: "pem" }).toString(),
        audience: AUDIENCE,
      })
      .catch((caught: unknown) => caught);
    expect(isGrantsError(error) && error.code).toBe("GRANTS_UNAUTHORIZED");
    expect(JSON.stringify(error)).not.toContain("PRIVATE KEY");
  });
});
