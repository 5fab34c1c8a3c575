import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientCredentialsManagementToken,
  staticManagementToken,
  tenantUrlOf,
} from "../../sdk/management-token-source";
import { GRANTS_UNAUTHORIZED, createGrantsClient, isGrantsError } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "../server/_fixtures";
import { call, expectStatus } from "../server/_http";

const LIFETIME_SECONDS = 300;

describe("the management token source", () => {
  let server: TestServer;
  let clock = Date.now();
  let credentials: { clientId: string; clientSecret: string };
  let exchanges = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input).endsWith("/oauth/token")) exchanges += 1;
    return fetch(input, init);
  };

  beforeAll(async () => {
    server = await startTestServer({
      now: () => clock,
      managementTokenLifetimeSeconds: LIFETIME_SECONDS,
    });
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    credentials = { clientId: client.id, clientSecret: client.clientSecret };
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: {
          client_id: client.id,
          audience: `${server.url}/api/v2/`,
          scope: ["read:client_grants"],
        },
      }),
      201,
    );
  });
  afterAll(() => server.close());

  it("fetches once, caches, and refreshes before expiry on a fake clock", async () => {
    exchanges = 0;
    const source = clientCredentialsManagementToken({
      tenantUrl: server.url,
      ...credentials,
      now: () => clock,
      fetch: countingFetch,
    });
    const [first, again] = await Promise.all([source.token(), source.token()]);
    expect(first).toBe(again);
    expect(exchanges).toBe(1);
    expectStatus(await call(server, "GET", "/api/v2/client-grants", { token: first }), 200);

    clock += (LIFETIME_SECONDS - 61) * 1000;
    expect(await source.token()).toBe(first);
    expect(exchanges).toBe(1);

    clock += 2000; // inside the 60 s margin: a new token, still before the old one expires
    const refreshed = await source.token();
    expect(exchanges).toBe(2);
    expectStatus(await call(server, "GET", "/api/v2/client-grants", { token: refreshed }), 200);
  });

  it("fetches again after invalidate (a 401), and only then", async () => {
    exchanges = 0;
    const source = clientCredentialsManagementToken({
      tenantUrl: server.url,
      ...credentials,
      now: () => clock,
      fetch: countingFetch,
    });
    const first = await source.token();
    source.invalidate("some other token");
    await source.token();
    expect(exchanges).toBe(1);
    source.invalidate(first);
    await source.token();
    expect(exchanges).toBe(2);
  });

  it("names the client and the OAuth error on a wrong secret, never the secret", async () => {
    const source = clientCredentialsManagementToken({
      tenantUrl: server.url,
      clientId: credentials.clientId,
      clientSecret: "wrong-secret-value",
      now: () => clock,
    });
    const error = await source.token().then(
      () => undefined,
      (caught: unknown) => caught as Error & { code: string; status: number },
    );
    expect(error?.code).toBe("management_token_failed");
    expect(error?.status).toBe(401);
    expect(error?.message).toContain(credentials.clientId);
    expect(error?.message).toContain("invalid_client");
    expect(error?.message).not.toContain("wrong-secret-value");
  });

  it("falls back to a static token, and reads a bare domain as https", async () => {
    expect(await staticManagementToken("static").token()).toBe("static");
    expect(tenantUrlOf("tenant.auth0.com")).toBe("https://tenant.auth0.com");
    expect(tenantUrlOf("http://127.0.0.1:4000/")).toBe("http://127.0.0.1:4000");
  });

  it("drives a grants client: a call refused with 401 is sent once more with a fresh token", async () => {
    exchanges = 0;
    const source = clientCredentialsManagementToken({
      tenantUrl: server.url,
      ...credentials,
      now: () => clock,
      fetch: countingFetch,
    });
    // The server forgets its tenant keys on restart; a token it no longer accepts stands for that.
    const handed: string[] = [];
    const firstRefused = {
      token: async () => {
        const token = handed.length === 0 ? "eyJ.revoked.token" : await source.token();
        handed.push(token);
        return token;
      },
      invalidate: (refused: string) => source.invalidate(refused),
    };
    const grants = createGrantsClient({
      apiUrl: server.url,
      apiToken: "unused",
      managementTokenSource: firstRefused,
    });
    try {
      const listed = [];
      for await (const grant of grants.clientGrants.list()) listed.push(grant);
      expect(listed.length).toBeGreaterThan(0);
      expect(handed).toEqual(["eyJ.revoked.token", expect.any(String)]);
      expect(exchanges).toBe(1);
      // Later calls reuse the cached token.
      await grants.clientGrants.get(listed[0]!.id);
      expect(exchanges).toBe(1);
    } finally {
      await grants.close();
    }
  });

  it("passes a 401 through when the source has no other token (a static one)", async () => {
    const grants = createGrantsClient({
      apiUrl: server.url,
      apiToken: "unused",
      managementTokenSource: staticManagementToken("eyJ.never.valid"),
    });
    try {
      const error = await grants.clientGrants.get("cgr_0000000000000000").then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isGrantsError(error, GRANTS_UNAUTHORIZED)).toBe(true);
    } finally {
      await grants.close();
    }
  });
});
