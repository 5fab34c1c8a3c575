import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useGrantErrorBodySchema } from "../../sdk/schemas/error-body";
import {
  providerListSchema,
  providerSchema,
  signingKeyListSchema,
  signingKeySchema,
} from "../../sdk/schemas/provider";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("useGrant /v1/providers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("creates a provider with 201 and returns its issuer, discovery and JWKS URLs", async () => {
    const result = expectStatus(
      await call(server, "POST", "/v1/providers", {
        body: { name: "Acme issuer", description: "Machine tokens" },
      }),
      201,
    );
    const provider = providerSchema.parse(result.body);
    expect(provider.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(provider).toMatchObject({
      name: "Acme issuer",
      description: "Machine tokens",
      issuer: `${server.url}/p/${provider.id}`,
      discoveryUrl: `${server.url}/p/${provider.id}/.well-known/openid-configuration`,
      jwksUri: `${server.url}/p/${provider.id}/.well-known/jwks`,
      signingAlgorithm: "RS256",
    });
    expect(Date.parse(provider.createdAt)).not.toBeNaN();
    expect(provider.updatedAt).toBe(provider.createdAt);
  });

  it("creates an ES256 provider when signingAlgorithm asks for it", async () => {
    const provider = await createProvider(server, {
      name: "Edge issuer",
      description: "EC keys",
      signingAlgorithm: "ES256",
    });
    expect(provider.signingAlgorithm).toBe("ES256");
    const keys = signingKeyListSchema.parse(
      expectStatus(await call(server, "GET", `/v1/providers/${provider.id}/keys`), 200).body,
    );
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ algorithm: "ES256", status: "active" });
  });

  it("lists providers as a bare array in creation order and gets one by id", async () => {
    const first = await createProvider(server, { name: "List one", description: "a" });
    const second = await createProvider(server, { name: "List two", description: "b" });
    const list = providerListSchema.parse(
      expectStatus(await call(server, "GET", "/v1/providers"), 200).body,
    );
    const ids = list.map((provider) => provider.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const fetched = expectStatus(await call(server, "GET", `/v1/providers/${first.id}`), 200);
    expect(providerSchema.parse(fetched.body)).toEqual(first);
  });

  it("deletes a provider with 204 and an empty body, cascading to its clients and keys", async () => {
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    const grant = expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience: "https://api.example.test" },
      }),
      201,
    ).body as { id: string };

    const deleted = await call(server, "DELETE", `/v1/providers/${provider.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await call(server, "GET", `/v1/providers/${provider.id}`)).status).toBe(404);
    expect(
      (await call(server, "GET", `/v1/providers/${provider.id}/clients/${client.id}`)).status,
    ).toBe(404);
    expect((await call(server, "GET", `/api/v2/client-grants/${grant.id}`)).status).toBe(404);
    expect((await fetch(`${provider.jwksUri}`)).status).toBe(404);
  });

  it("answers an unknown or malformed provider id with 404 not_found", async () => {
    for (const id of ["5b0c7a0e-2f7c-4f6f-9d55-8d3d1e2b9a10", "not-a-uuid"]) {
      const result = expectStatus(await call(server, "GET", `/v1/providers/${id}`), 404);
      expect(useGrantErrorBodySchema.parse(result.body)).toEqual({
        code: "not_found",
        message: "Provider not found",
      });
    }
    expect((await call(server, "DELETE", "/v1/providers/not-a-uuid")).status).toBe(404);
  });

  it("rotates the signing key: the new key is active, the old one retires after 48 hours", async () => {
    const provider = await createProvider(server);
    const before = signingKeyListSchema.parse(
      (await call(server, "GET", `/v1/providers/${provider.id}/keys`)).body,
    );
    const rotated = signingKeySchema.parse(
      expectStatus(
        await call(server, "POST", `/v1/providers/${provider.id}/keys/rotate`, {
          body: { algorithm: "ES256" },
        }),
        201,
      ).body,
    );
    expect(rotated).toMatchObject({ status: "active", algorithm: "ES256" });
    const after = signingKeyListSchema.parse(
      (await call(server, "GET", `/v1/providers/${provider.id}/keys`)).body,
    );
    expect(after.map((key) => key.kid)).toEqual([rotated.kid, before[0]!.kid]);
    const retiring = after[1]!;
    expect(retiring.status).toBe("retiring");
    const lifetime = Date.parse(retiring.retiresAt!) - Date.parse(rotated.createdAt);
    expect(lifetime).toBeGreaterThanOrEqual(172_800_000);
    expect(lifetime).toBeLessThan(172_800_000 + 60_000);
    const updated = providerSchema.parse(
      (await call(server, "GET", `/v1/providers/${provider.id}`)).body,
    );
    expect(updated.signingAlgorithm).toBe("ES256");
  });

  it("rotates without a body, keeping the provider's algorithm", async () => {
    const provider = await createProvider(server);
    const result = await call(server, "POST", `/v1/providers/${provider.id}/keys/rotate`);
    expect(signingKeySchema.parse(expectStatus(result, 201).body).algorithm).toBe("RS256");
  });
});
