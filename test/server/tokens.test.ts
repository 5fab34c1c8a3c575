import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenSchema } from "../../sdk/schemas/token";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";
import { verifyWithDiscovery } from "./_jose";

describe("useGrant POST /v1/providers/{providerId}/clients/{clientId}/tokens", () => {
  let server: TestServer;
  let provider: Awaited<ReturnType<typeof createProvider>>;
  let client: Awaited<ReturnType<typeof createClient>>;
  let tokensPath: string;

  beforeAll(async () => {
    server = await startTestServer();
    provider = await createProvider(server);
    client = await createClient(server, provider.id, {
      name: "ci-runner",
      audience: "sts.amazonaws.com",
    });
    tokensPath = `/v1/providers/${provider.id}/clients/${client.id}/tokens`;
  });
  afterAll(() => server.close());

  it("mints a 1-hour at+jwt token with 201 when the body is empty; it verifies via discovery", async () => {
    const result = expectStatus(await call(server, "POST", tokensPath), 201);
    expect(result.headers.get("cache-control")).toBe("no-store");
    const token = tokenSchema.parse(result.body);
    expect(token.type).toBe("Bearer");
    const { payload, protectedHeader } = await verifyWithDiscovery(token.accessToken, {
      discoveryUrl: provider.discoveryUrl!,
      audience: "sts.amazonaws.com",
    });
    expect(protectedHeader.typ).toBe("at+jwt");
    expect(payload).toMatchObject({
      iss: provider.issuer,
      sub: client.subject,
      aud: "sts.amazonaws.com",
      client_id: client.id,
    });
    expect(payload).not.toHaveProperty("scope");
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(new Date(payload.exp! * 1000).toISOString()).toBe(token.expiresAt);
  });

  it("honours expiresIn, useJwtType and audienceAsArray", async () => {
    const token = tokenSchema.parse(
      expectStatus(
        await call(server, "POST", tokensPath, {
          body: { expiresIn: 172_800, useJwtType: true, audienceAsArray: true },
        }),
        201,
      ).body,
    );
    expect(decodeProtectedHeader(token.accessToken).typ).toBe("jwt");
    const { payload } = await verifyWithDiscovery(token.accessToken, {
      discoveryUrl: provider.discoveryUrl!,
      audience: "sts.amazonaws.com",
      typ: "jwt",
    });
    expect(payload.aud).toEqual(["sts.amazonaws.com"]);
    expect(payload.exp! - payload.iat!).toBe(172_800);
  });

  it("rejects expiresIn outside 1–172800 seconds, naming the field", async () => {
    for (const expiresIn of [0, 172_801, 1.5]) {
      const result = await call(server, "POST", tokensPath, { body: { expiresIn } });
      expect(result.status).toBe(400);
      expect((result.body as { message: string }).message).toMatch(/^expiresIn: /);
    }
  });

  it("answers 404 for an unknown client or a client of another provider", async () => {
    const other = await createProvider(server, { name: "Other", description: "x" });
    for (const path of [
      `/v1/providers/${other.id}/clients/${client.id}/tokens`,
      `/v1/providers/${provider.id}/clients/00000000-0000-4000-8000-000000000000/tokens`,
    ]) {
      expect((await call(server, "POST", path)).status).toBe(404);
    }
  });

  it("signs with ES256 for an ES256 provider", async () => {
    const ecProvider = await createProvider(server, {
      name: "EC issuer",
      description: "x",
      signingAlgorithm: "ES256",
    });
    const ecClient = await createClient(server, ecProvider.id);
    const token = tokenSchema.parse(
      expectStatus(
        await call(server, "POST", `/v1/providers/${ecProvider.id}/clients/${ecClient.id}/tokens`),
        201,
      ).body,
    );
    expect(decodeProtectedHeader(token.accessToken).alg).toBe("ES256");
    expect(decodeJwt(token.accessToken).iss).toBe(ecProvider.issuer);
    await verifyWithDiscovery(token.accessToken, {
      discoveryUrl: ecProvider.discoveryUrl!,
      audience: ecClient.audience,
    });
  });
});
