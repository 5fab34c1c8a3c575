import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainListSchema, domainSchema, domainVerificationSchema } from "../../sdk/schemas/domain";
import { discoveryDocumentSchema, jwksSchema, tokenResponseSchema } from "../../sdk/schemas/oauth";
import { providerSchema } from "../../sdk/schemas/provider";
import { tokenSchema } from "../../sdk/schemas/token";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("useGrant /v1/providers/{providerId}/domains", () => {
  /** The fake DNS: TXT records by name. */
  const txtRecords = new Map<string, string[][]>();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      resolveTxt: async (name) => {
        const records = txtRecords.get(name);
        if (!records)
          throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
        return records;
      },
    });
  });
  afterAll(() => server.close());

  async function addDomain(providerId: string, domain: string) {
    return domainSchema.parse(
      expectStatus(
        await call(server, "POST", `/v1/providers/${providerId}/domains`, { body: { domain } }),
        201,
      ).body,
    );
  }

  it("adds a domain with 201, unverified, with the TXT record that proves it", async () => {
    const provider = await createProvider(server);
    const domain = await addDomain(provider.id, "Auth.Example.COM");
    expect(domain).toMatchObject({
      domain: "auth.example.com",
      verified: false,
      verificationRecord: {
        type: "TXT",
        name: "_grants-challenge.auth.example.com",
        value: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      },
    });
    const list = domainListSchema.parse(
      expectStatus(await call(server, "GET", `/v1/providers/${provider.id}/domains`), 200).body,
    );
    expect(list).toEqual([domain]);
    const fetched = expectStatus(
      await call(server, "GET", `/v1/providers/${provider.id}/domains/${domain.id}`),
      200,
    );
    expect(domainSchema.parse(fetched.body)).toEqual(domain);
  });

  it("answers 409 when the domain is already registered, to any provider", async () => {
    const first = await createProvider(server);
    const second = await createProvider(server);
    await addDomain(first.id, "taken.example.com");
    const result = await call(server, "POST", `/v1/providers/${second.id}/domains`, {
      body: { domain: "taken.example.com" },
    });
    expect(result.status).toBe(409);
    expect(result.body).toEqual({
      code: "conflict",
      message: "domain: taken.example.com is already registered",
    });
  });

  it("verifies with 200 and verified:false until the TXT record holds the value", async () => {
    const provider = await createProvider(server);
    const domain = await addDomain(provider.id, "pending.example.com");
    const verifyPath = `/v1/providers/${provider.id}/domains/${domain.id}/verify`;

    const missing = domainVerificationSchema.parse(
      expectStatus(await call(server, "POST", verifyPath), 200).body,
    );
    expect(missing).toMatchObject({
      verified: false,
      message: "No TXT record found at _grants-challenge.pending.example.com",
    });

    txtRecords.set("_grants-challenge.pending.example.com", [["something-else"]]);
    const wrong = domainVerificationSchema.parse((await call(server, "POST", verifyPath)).body);
    expect(wrong.verified).toBe(false);
    expect(wrong.message).toMatch(/do not hold the expected value/);

    // TXT strings longer than 255 bytes arrive in chunks; they are joined.
    const value = domain.verificationRecord!.value;
    txtRecords.set("_grants-challenge.pending.example.com", [
      ["unrelated"],
      [value.slice(0, 10), value.slice(10)],
    ]);
    const verified = domainVerificationSchema.parse((await call(server, "POST", verifyPath)).body);
    expect(verified).toMatchObject({ verified: true, message: "Domain verified" });
    expect(verified.domain.verified).toBe(true);
    expect(verified.domain.verifiedAt).toEqual(expect.any(String));
  });

  it("makes a verified domain the issuer, served at the root for that Host", async () => {
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience: client.audience },
      }),
      201,
    );
    const domain = await addDomain(provider.id, "issuer.example.com");
    txtRecords.set("_grants-challenge.issuer.example.com", [[domain.verificationRecord!.value]]);
    expectStatus(
      await call(server, "POST", `/v1/providers/${provider.id}/domains/${domain.id}/verify`),
      200,
    );

    const updated = providerSchema.parse(
      (await call(server, "GET", `/v1/providers/${provider.id}`)).body,
    );
    expect(updated).toMatchObject({
      issuer: "https://issuer.example.com",
      discoveryUrl: "https://issuer.example.com/.well-known/openid-configuration",
      jwksUri: "https://issuer.example.com/.well-known/jwks",
    });

    const tokensPath = `/v1/providers/${provider.id}/clients/${client.id}/tokens`;
    const minted = tokenSchema.parse((await call(server, "POST", tokensPath)).body);
    expect(decodeJwt(minted.accessToken).iss).toBe("https://issuer.example.com");
    const forced = tokenSchema.parse(
      (await call(server, "POST", tokensPath, { body: { forceDefaultDomain: true } })).body,
    );
    expect(decodeJwt(forced.accessToken).iss).toBe(`${server.url}/p/${provider.id}`);

    // Root paths answer for the verified Host (node's fetch forbids setting Host; use http).
    const { request } = await import("node:http");
    const get = (path: string, host: string, body?: string) =>
      new Promise<{ status: number; json: unknown }>((resolve, reject) => {
        const url = new URL(server.url);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method: body ? "POST" : "GET",
            headers: {
              host,
              ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
            },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const discovery = await get("/.well-known/openid-configuration", "issuer.example.com");
    expect(discovery.status).toBe(200);
    expect(discoveryDocumentSchema.parse(discovery.json)).toMatchObject({
      issuer: "https://issuer.example.com",
      jwks_uri: "https://issuer.example.com/.well-known/jwks",
      token_endpoint: "https://issuer.example.com/oauth/token",
    });
    const jwks = await get("/.well-known/jwks", "issuer.example.com:443");
    expect(jwksSchema.parse(jwks.json).keys).toHaveLength(1);
    const token = await get(
      "/oauth/token",
      "issuer.example.com",
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: client.clientSecret,
        audience: client.audience,
      }).toString(),
    );
    expect(token.status).toBe(200);
    expect(decodeJwt(tokenResponseSchema.parse(token.json).access_token).iss).toBe(
      "https://issuer.example.com",
    );
    // An unverified or unknown host has no issuer at the root.
    expect((await get("/.well-known/jwks", "unknown.example.com")).status).toBe(404);
    // The default issuer keeps working and still names itself.
    const defaultDiscovery = discoveryDocumentSchema.parse(
      await (await fetch(`${server.url}/p/${provider.id}/.well-known/openid-configuration`)).json(),
    );
    expect(defaultDiscovery.issuer).toBe(`${server.url}/p/${provider.id}`);
  });

  it("deletes a domain with 204; the issuer falls back to the default", async () => {
    const provider = await createProvider(server);
    const domain = await addDomain(provider.id, "short-lived.example.com");
    txtRecords.set("_grants-challenge.short-lived.example.com", [
      [domain.verificationRecord!.value],
    ]);
    await call(server, "POST", `/v1/providers/${provider.id}/domains/${domain.id}/verify`);
    const deleted = await call(
      server,
      "DELETE",
      `/v1/providers/${provider.id}/domains/${domain.id}`,
    );
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(
      (await call(server, "GET", `/v1/providers/${provider.id}/domains/${domain.id}`)).status,
    ).toBe(404);
    const after = providerSchema.parse(
      (await call(server, "GET", `/v1/providers/${provider.id}`)).body,
    );
    expect(after.issuer).toBe(`${server.url}/p/${provider.id}`);
  });

  it("answers 404 for a domain of another provider and for malformed ids", async () => {
    const owner = await createProvider(server);
    const stranger = await createProvider(server);
    const domain = await addDomain(owner.id, "owned.example.com");
    for (const path of [
      `/v1/providers/${stranger.id}/domains/${domain.id}`,
      `/v1/providers/${owner.id}/domains/nope`,
    ]) {
      const result = await call(server, "GET", path);
      expect(result.status).toBe(404);
      expect(result.body).toEqual({ code: "not_found", message: "Domain not found" });
    }
    expect(
      (await call(server, "POST", `/v1/providers/${stranger.id}/domains/${domain.id}/verify`))
        .status,
    ).toBe(404);
  });
});
