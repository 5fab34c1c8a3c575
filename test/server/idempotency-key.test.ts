import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { databaseSnapshot } from "./_database";
import { createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("POST with Idempotency-Key", () => {
  let dataDir: string;
  let server: TestServer;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "grants-idem-"));
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const body = { name: "Idempotent issuer", description: "replayed" };
  const withKey = (key: string) => ({ body, headers: { "idempotency-key": key } });

  it("answers a repeated create with the first answer and creates one provider", async () => {
    const key = randomUUID();
    const first = expectStatus(await call(server, "POST", "/v1/providers", withKey(key)), 201);
    const second = expectStatus(await call(server, "POST", "/v1/providers", withKey(key)), 201);
    expect(second.body).toEqual(first.body);
    const all = (await call(server, "GET", "/v1/providers")).body as { name: string }[];
    expect(all.filter((provider) => provider.name === body.name)).toHaveLength(1);
  });

  it("replays a created client's answer, secret included, without storing the secret in clear", async () => {
    const provider = await createProvider(server);
    const key = `"${randomUUID()}"`; // the draft's Structured Field string form
    const request = {
      body: { name: "replayed-client", audience: "https://api.example.test" },
      headers: { "idempotency-key": key },
    };
    const url = `/v1/providers/${provider.id}/clients`;
    const first = expectStatus(await call(server, "POST", url, request), 201);
    const second = expectStatus(await call(server, "POST", url, request), 201);
    expect(second.body).toEqual(first.body);
    const secret = (first.body as { clientSecret: string }).clientSecret;
    expect(databaseSnapshot(dataDir)).not.toContain(secret);
    expect(databaseSnapshot(dataDir)).not.toContain(Buffer.from(secret).toString("base64"));
  });

  it("refuses the same key with another body with 422 naming the header", async () => {
    const key = randomUUID();
    expectStatus(await call(server, "POST", "/v1/providers", withKey(key)), 201);
    const other = await call(server, "POST", "/v1/providers", {
      body: { ...body, description: "another" },
      headers: { "idempotency-key": key },
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ message: expect.stringContaining("Idempotency-Key") });
  });

  it("keeps keys per caller: another token's request with the same key is not answered from it", async () => {
    const key = randomUUID();
    expectStatus(await call(server, "POST", "/v1/providers", withKey(key)), 201);
    // Without a token the guard refuses first; the stored answer is never shown to it.
    const stranger = await call(server, "POST", "/v1/providers", { ...withKey(key), token: null });
    expect(stranger.status).toBe(401);
  });

  it("does not store an answer that failed validation differently from a fixed retry", async () => {
    const key = randomUUID();
    const bad = await call(server, "POST", "/v1/providers", {
      body: { name: "" },
      headers: { "idempotency-key": key },
    });
    expect(bad.status).toBe(400);
    // The same bad request gets the same 400; a corrected body is another request → 422.
    expect(
      (
        await call(server, "POST", "/v1/providers", {
          body: { name: "" },
          headers: { "idempotency-key": key },
        })
      ).status,
    ).toBe(400);
    expect((await call(server, "POST", "/v1/providers", withKey(key))).status).toBe(422);
  });

  it.each([
    ["empty", ""],
    ["too long", "k".repeat(256)],
    ["holding a backslash", "abc\\def"],
    ["holding a space", "abc def"],
  ])("rejects an Idempotency-Key that is %s with 400 naming the header", async (_case, key) => {
    const result = await call(server, "POST", "/v1/providers", withKey(key));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ message: expect.stringContaining("Idempotency-Key") });
  });

  it("advertises that it honours keys", async () => {
    const result = await call(server, "GET", "/v1/providers");
    expect(result.headers.get("grants-idempotency-keys")).toBe("honoured");
  });

  it("still knows a key after a restart", async () => {
    const key = randomUUID();
    const first = expectStatus(await call(server, "POST", "/v1/providers", withKey(key)), 201);
    await server.close();
    server = await startTestServer({ dataDir });
    const again = expectStatus(await call(server, "POST", "/v1/providers", withKey(key)), 201);
    expect(again.body).toEqual(first.body);
  });
});
