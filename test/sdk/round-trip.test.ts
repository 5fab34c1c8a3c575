import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GRANTS_CONFLICT,
  GRANTS_INVALID_RESPONSE,
  GRANTS_NOT_FOUND,
  GRANTS_UNAUTHORIZED,
  GRANTS_VALIDATION,
  createGrantsClient,
  createOidcClient,
  isGrantsError,
} from "../../sdk";
import type { ClientGrant, CreatedClient, GrantsClient, Provider } from "../../sdk";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { startFaultProxy } from "../support/fault-proxy";
import type { FaultProxy } from "../support/fault-proxy";
import { failure } from "./_support/failure";

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

// Every client function against the real grant server, in-process on loopback.
describe("sdk client against the grant server", () => {
  let server: TestServer;
  let client: GrantsClient;
  const txtRecords = new Map<string, string[][]>();

  beforeAll(async () => {
    server = await startTestServer({ resolveTxt: async (name) => txtRecords.get(name) ?? [] });
    client = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  describe("/v1/providers", () => {
    it("creates, lists, gets and deletes a provider", async () => {
      const created = await client.providers.create({
        name: "round-trip",
        description: "providers round trip",
      });
      expect(created).toMatchObject({ name: "round-trip", description: "providers round trip" });
      expect(created.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p\//);

      const listed = await client.providers.list();
      expect(listed.map((provider) => provider.id)).toContain(created.id);
      await expect(client.providers.get(created.id)).resolves.toEqual(created);

      await expect(client.providers.delete(created.id)).resolves.toBeUndefined();
      const error = await failure(client.providers.get(created.id));
      expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
      expect(error).toMatchObject({ status: 404, body: { code: expect.any(String) } });
    });

    it("lists and rotates signing keys", async () => {
      const provider = await client.providers.create({ name: "keys", description: "rotation" });
      const [first] = await client.providers.listKeys(provider.id);
      expect(first).toMatchObject({ status: "active", algorithm: "RS256" });

      const rotated = await client.providers.rotateKey(provider.id, { algorithm: "ES256" });
      expect(rotated).toMatchObject({ status: "active", algorithm: "ES256" });
      const keys = await client.providers.listKeys(provider.id);
      expect(keys.map((key) => [key.kid, key.status])).toEqual(
        expect.arrayContaining([
          [first?.kid, "retiring"],
          [rotated.kid, "active"],
        ]),
      );
      await expect(client.providers.rotateKey(provider.id)).resolves.toMatchObject({
        status: "active",
      });
    });

    it("maps a rejected token to GRANTS_UNAUTHORIZED without echoing it", async () => {
      const stranger = createGrantsClient({
        apiUrl: server.url,
        apiToken: "uga_not-the-admin-token",
      });
      try {
        const error = await failure(stranger.providers.list());
        expect(isGrantsError(error, GRANTS_UNAUTHORIZED)).toBe(true);
        expect(JSON.stringify(error) + String(error)).not.toContain("uga_not-the-admin-token");
      } finally {
        await stranger.close();
      }
    });
  });

  describe("clients, tokens and the issuer", () => {
    let provider: Provider;
    let app: CreatedClient;

    beforeAll(async () => {
      provider = await client.providers.create({ name: "issuer", description: "tokens" });
      app = await client.clients.create(provider.id, { name: "deployer", audience: "sts.example" });
    });

    it("creates a client whose secret is shown once", async () => {
      expect(app.clientSecret).toEqual(expect.any(String));
      const fetched = await client.clients.get(provider.id, app.id);
      expect(fetched).not.toHaveProperty("clientSecret");
      expect(fetched).toMatchObject({ id: app.id, name: "deployer", audience: "sts.example" });
      const listed = await client.clients.list(provider.id);
      expect(listed.map((entry) => entry.id)).toEqual([app.id]);
    });

    it("mints a token that verifies against the published JWKS", async () => {
      const minted = await client.tokens.create(provider.id, app.id, {
        expiresIn: 600,
        audienceAsArray: true,
      });
      expect(minted.type).toBe("Bearer");
      const discovery = await client.discovery.get(provider.issuer ?? "");
      expect(discovery.issuer).toBe(provider.issuer);
      const jwks = await client.jwks.get(discovery.jwks_uri);
      const { payload } = await jwtVerify(minted.accessToken, createLocalJWKSet(jwks), {
        issuer: provider.issuer ?? "",
        audience: "sts.example",
      });
      expect(payload.aud).toEqual(["sts.example"]);
      expect(payload.sub).toBe(app.subject);
      await expect(client.tokens.create(provider.id, app.id)).resolves.toMatchObject({
        type: "Bearer",
      });
    });

    it("gets client-credentials tokens through discovery, with either auth method", async () => {
      await client.clientGrants.create({
        client_id: app.id,
        audience: "https://reports.example",
        scope: ["read:reports", "write:reports"],
      });
      const oidc = createOidcClient();
      try {
        const basic = await oidc.oauth.clientCredentials({
          issuer: provider.issuer ?? "",
          clientId: app.id,
          clientSecret: app.clientSecret ?? "",
          audience: "https://reports.example",
          scope: ["read:reports"],
        });
        expect(basic).toMatchObject({ token_type: "Bearer", scope: "read:reports" });
        const post = await client.oauth.clientCredentials({
          tokenUrl: `${provider.issuer}/oauth/token`,
          clientId: app.id,
          clientSecret: app.clientSecret ?? "",
          audience: "https://reports.example",
          authMethod: "client_secret_post",
        });
        expect(post.scope?.split(" ").sort()).toEqual(["read:reports", "write:reports"]);

        const wrongSecret = await failure(
          oidc.oauth.clientCredentials({
            issuer: provider.issuer ?? "",
            clientId: app.id,
            clientSecret: "not-the-secret",
            audience: "https://reports.example",
          }),
        );
        expect(isGrantsError(wrongSecret, GRANTS_UNAUTHORIZED)).toBe(true);
        expect(wrongSecret).toMatchObject({ body: { error: "invalid_client" } });

        const beyondGrant = await failure(
          oidc.oauth.clientCredentials({
            issuer: provider.issuer ?? "",
            clientId: app.id,
            clientSecret: app.clientSecret ?? "",
            audience: "https://reports.example",
            scope: "delete:reports",
          }),
        );
        expect(isGrantsError(beyondGrant, GRANTS_VALIDATION)).toBe(true);
        expect(beyondGrant).toMatchObject({ body: { error: "invalid_scope" } });
      } finally {
        await oidc.close();
      }
    });

    it("deletes a client", async () => {
      const other = await client.clients.create(provider.id, {
        name: "short-lived",
        audience: "x-api",
      });
      await client.clients.delete(provider.id, other.id);
      const error = await failure(client.clients.get(provider.id, other.id));
      expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
    });
  });

  describe("/v1/providers/{id}/domains", () => {
    it("adds, verifies through DNS TXT, lists, gets and removes a domain", async () => {
      const provider = await client.providers.create({ name: "domains", description: "dns" });
      const domain = await client.domains.create(provider.id, {
        domain: "auth.round-trip.example",
      });
      expect(domain).toMatchObject({ domain: "auth.round-trip.example", verified: false });
      expect(domain.verificationRecord?.type).toBe("TXT");

      const before = await client.domains.verify(provider.id, domain.id);
      expect(before.verified).toBe(false);

      const record = domain.verificationRecord;
      if (record === undefined) throw new Error("the grant server names a TXT record");
      txtRecords.set(record.name, [[record.value]]);
      const after = await client.domains.verify(provider.id, domain.id);
      expect(after).toMatchObject({ verified: true, domain: { id: domain.id, verified: true } });

      expect((await client.domains.list(provider.id)).map((entry) => entry.id)).toEqual([
        domain.id,
      ]);
      await expect(client.domains.get(provider.id, domain.id)).resolves.toMatchObject({
        verified: true,
      });
      await client.domains.delete(provider.id, domain.id);
      const error = await failure(client.domains.get(provider.id, domain.id));
      expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
    });
  });

  describe("/api/v2/client-grants", () => {
    let app: CreatedClient;

    beforeAll(async () => {
      const provider = await client.providers.create({ name: "grants", description: "grants" });
      app = await client.clients.create(provider.id, { name: "grantee", audience: "grantee-api" });
    });

    it("creates, gets, updates, lists and deletes a client grant", async () => {
      const grant = await client.clientGrants.create({
        client_id: app.id,
        audience: "https://billing.example",
        scope: ["read:invoices"],
      });
      expect(grant).toMatchObject({ client_id: app.id, scope: ["read:invoices"] });
      await expect(client.clientGrants.get(grant.id)).resolves.toEqual(grant);

      const updated = await client.clientGrants.update(grant.id, {
        scope: ["read:invoices", "write:invoices"],
        allow_any_organization: true,
      });
      expect(updated).toMatchObject({
        scope: ["read:invoices", "write:invoices"],
        allow_any_organization: true,
      });

      const listed = await collect(client.clientGrants.list({ client_id: app.id }));
      expect(listed).toContainEqual(updated);

      await client.clientGrants.delete(grant.id);
      const error = await failure(client.clientGrants.get(grant.id));
      expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
      expect(error).toMatchObject({ body: { statusCode: 404, error: "Not Found" } });
    });

    it("answers a duplicate grant with GRANTS_CONFLICT in the Auth0 dialect", async () => {
      const body = { client_id: app.id, audience: "https://dup.example" };
      const first: ClientGrant = await client.clientGrants.create(body);
      const error = await failure(client.clientGrants.create(body));
      expect(isGrantsError(error, GRANTS_CONFLICT)).toBe(true);
      expect(error).toMatchObject({ status: 409, body: { statusCode: 409 } });
      await client.clientGrants.delete(first.id);
    });
  });

  describe("answers that break the contract", () => {
    let proxy: FaultProxy;
    let proxied: GrantsClient;
    let provider: Provider;

    beforeAll(async () => {
      proxy = await startFaultProxy(server.url);
      proxied = createGrantsClient({
        apiUrl: proxy.url,
        apiToken: server.adminToken,
        retry: false,
      });
      provider = await client.providers.create({ name: "contract", description: "rewrites" });
    });
    afterAll(async () => {
      await proxied.close();
      await proxy.close();
    });

    const withoutKey = (key: string) => (body: unknown) => ({
      ...(body as Record<string, unknown>),
      [key]: undefined,
    });
    const cases = [
      {
        answer: "a provider without its id",
        rewrites: "GET",
        act: () => proxied.providers.get(provider.id),
        transform: withoutKey("id"),
      },
      {
        answer: "a provider list that is an object",
        rewrites: "GET",
        act: () => proxied.providers.list(),
        transform: () => ({ providers: [] }),
      },
      {
        answer: "a token of another type",
        rewrites: "POST",
        act: async () => {
          const app = await client.clients.create(provider.id, {
            name: "rewritten",
            audience: "aud-x",
          });
          return proxied.tokens.create(provider.id, app.id);
        },
        transform: (body: unknown) => ({ ...(body as object), type: "Basic" }),
      },
      {
        answer: "a client-grant page of strings",
        rewrites: "GET",
        act: () => collect(proxied.clientGrants.list()),
        transform: () => ({ client_grants: ["x"] }),
      },
      {
        answer: "a discovery document without jwks_uri",
        rewrites: "GET",
        act: () => proxied.discovery.get(`${proxy.url}/p/${provider.id}`),
        transform: withoutKey("jwks_uri"),
      },
    ];

    it.each(cases)(
      "raises GRANTS_INVALID_RESPONSE for $answer",
      async ({ rewrites, act, transform }) => {
        proxy.plan(({ method }) =>
          method === rewrites ? { type: "rewrite", transform } : { type: "forward" },
        );
        const error = await failure(act());
        expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
        expect((error as { issues?: unknown[] }).issues?.length).toBeGreaterThan(0);
      },
    );
  });
});
