import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenResponseSchema } from "../../sdk/schemas/oauth";
import { tokenSchema } from "../../sdk/schemas/token";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { managementClient } from "./_auth0";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("server logs", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Debug level: the most the server ever logs.
    server = await startTestServer({ logLevel: "debug" });
  });
  afterAll(() => server.close());

  it("never contain the admin token, client secrets, access tokens or key material", async () => {
    const secrets: string[] = [server.adminToken];
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    secrets.push(client.clientSecret);
    await managementClient(server).clientGrants.create({
      client_id: client.id,
      audience: "https://api.example.test",
      scope: ["read"],
    });
    const minted = tokenSchema.parse(
      expectStatus(
        await call(server, "POST", `/v1/providers/${provider.id}/clients/${client.id}/tokens`),
        201,
      ).body,
    );
    secrets.push(minted.accessToken);
    const tokenBody = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: client.clientSecret,
      audience: "https://api.example.test",
    });
    const issued = await fetch(`${provider.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: tokenBody,
    });
    secrets.push(tokenResponseSchema.parse(await issued.json()).access_token);

    // Failures carry secrets too: a wrong guess of a token or secret, one in a query string.
    const guessedToken = "uga_guessed_token_value_123456789";
    const guessedSecret = "guessed-client-secret-value-987654321";
    secrets.push(guessedToken, guessedSecret);
    await call(server, "GET", "/v1/providers", { token: guessedToken });
    await fetch(`${provider.issuer}/oauth/token?client_secret=${guessedSecret}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.id}:${guessedSecret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.test",
    });
    await call(server, "POST", "/v1/providers", { body: `{"name": "${guessedSecret}"` });
    await call(server, "POST", `/v1/providers/${provider.id}/keys/rotate`);

    const masterKey = (await readFile(path.join(server.dataDir, "master.key"), "utf8")).trim();
    secrets.push(masterKey);

    const logs = server.logs();
    expect(logs.length).toBeGreaterThan(1000);
    for (const line of logs.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/PRIVATE KEY|"d":"|authorization/i);
    // Secrets are also never echoed in error bodies.
    const failed = await call(server, "GET", "/v1/providers", { token: guessedToken });
    expect(failed.text).not.toContain(guessedToken);
  });
});
