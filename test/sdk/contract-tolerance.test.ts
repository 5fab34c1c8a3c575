import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GRANTS_INVALID_RESPONSE, createGrantsClient, createOidcClient } from "../../sdk";
import { tokenEndpointOf } from "../../sdk/oidc";
import { json, startStubServer } from "./_support/stub-server";
import type { StubServer } from "./_support/stub-server";

// Answers real services give that the grant server never does: the client must accept them.
describe("what the hosted services may send", () => {
  let stub: StubServer;

  beforeEach(async () => {
    stub = await startStubServer();
  });
  afterEach(() => stub.close());

  it("lists an Auth0 grant made for all third-party clients, which has no client_id", async () => {
    const defaultGrant = {
      id: "cgr_0000000000000001",
      audience: "https://api.example.com",
      default_for: "third_party_clients",
      scope: ["read:things"],
    };
    stub.handle((_, response) => json(response, 200, { client_grants: [defaultGrant] }));
    const client = createGrantsClient({ apiUrl: stub.url, apiToken: "token", retry: false });
    try {
      const grants = [];
      for await (const grant of client.clientGrants.list()) grants.push(grant);
      expect(grants).toEqual([defaultGrant]);
    } finally {
      await client.close();
    }
  });

  it("accepts a token response without expires_in, which RFC 6749 §5.1 only recommends", async () => {
    stub.handle((_, response) =>
      json(response, 200, { access_token: "opaque", token_type: "Bearer" }),
    );
    const oidc = createOidcClient({ retry: false });
    try {
      const token = await oidc.oauth.clientCredentials({
        tokenUrl: `${stub.url}/oauth/token`,
        clientId: "client",
        clientSecret: "secret",
        audience: "https://api.example.com",
      });
      expect(token).toEqual({ access_token: "opaque", token_type: "Bearer" });
    } finally {
      await oidc.close();
    }
  });
});

describe("credentials stay with their service", () => {
  it("requires a management token when the management API is on another origin", () => {
    expect(() =>
      createGrantsClient({
        apiUrl: "https://sdk.usegrant.dev",
        apiToken: "uga_token",
        managementApiUrl: "https://tenant.auth0.com/api/v2",
      }),
    ).toThrow(/managementApiToken/);
  });

  it.each([
    ["http://issuer.example.test/oauth/token", "plain HTTP under an https issuer"],
    ["https://user:pass@issuer.example.test/oauth/token", "credentials in the URL"],
  ])("refuses to send a client secret to %s (%s)", (tokenEndpoint) => {
    const document = {
      issuer: "https://issuer.example.test",
      jwks_uri: "https://issuer.example.test/.well-known/jwks",
      token_endpoint: tokenEndpoint,
      subject_types_supported: ["public"],
      response_types_supported: [],
      id_token_signing_alg_values_supported: ["RS256"],
    };
    expect(() => tokenEndpointOf(document, new URL("https://issuer.example.test"))).toThrow(
      expect.objectContaining({ code: GRANTS_INVALID_RESPONSE }),
    );
  });
});
