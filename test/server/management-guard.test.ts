import { ManagementError } from "auth0";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { managementClient } from "./_auth0";
import { call } from "./_http";

describe("management authentication", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers a missing, wrong or non-bearer token with 401 in each dialect", async () => {
    const missing = await call(server, "GET", "/v1/providers", { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      code: "unauthorized",
      message: "Authorization: missing bearer token",
    });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer /);

    const wrong = await call(server, "GET", "/v1/providers", { token: `${server.adminToken}x` });
    expect(wrong.body).toEqual({
      code: "unauthorized",
      message: "Authorization: invalid bearer token",
    });

    const basic = await call(server, "GET", "/v1/providers", {
      token: null,
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${server.adminToken}`).toString("base64")}`,
      },
    });
    expect(basic.status).toBe(401);

    const auth0 = await call(server, "GET", "/api/v2/client-grants", { token: "nope" });
    expect(auth0.status).toBe(401);
    expect(auth0.body).toEqual({
      statusCode: 401,
      error: "Unauthorized",
      message: "Authorization: invalid bearer token",
      errorCode: "invalid_token",
    });
  });

  it("surfaces a wrong token to the auth0 SDK as a 401 ManagementError", async () => {
    const management = managementClient(server, { token: "not-the-token" });
    const failure = await management.clientGrants.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagementError);
    expect((failure as ManagementError).statusCode).toBe(401);
  });

  it("leaves the public endpoints open", async () => {
    expect((await call(server, "GET", "/healthz", { token: null })).status).toBe(200);
    expect((await call(server, "GET", "/openapi.json", { token: null })).status).toBe(200);
  });
});

describe("management rate limiting", () => {
  let server: TestServer;
  let clock = 0;
  beforeAll(async () => {
    clock = Date.now();
    server = await startTestServer({ rateLimitPerMinute: 3, now: () => clock });
  });
  afterAll(() => server.close());

  it("counts requests per token in X-RateLimit-* headers and answers 429 with Retry-After past the limit", async () => {
    const resetAt = Math.ceil((clock + 60_000) / 1000);
    for (const remaining of [2, 1, 0]) {
      const result = await call(server, "GET", "/v1/providers");
      expect(result.status).toBe(200);
      expect(result.headers.get("x-ratelimit-limit")).toBe("3");
      expect(result.headers.get("x-ratelimit-remaining")).toBe(String(remaining));
      expect(result.headers.get("x-ratelimit-reset")).toBe(String(resetAt));
    }
    const limited = await call(server, "GET", "/v1/providers");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      code: "too_many_requests",
      message: expect.stringMatching(/^Too many requests: at most 3 per minute/),
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");

    const auth0 = await call(server, "GET", "/api/v2/client-grants");
    expect(auth0.status).toBe(429);
    expect(auth0.body).toMatchObject({
      statusCode: 429,
      error: "Too Many Requests",
      errorCode: "too_many_requests",
    });

    // Other callers (no valid token) have their own budget, and public routes none at all.
    expect((await call(server, "GET", "/v1/providers", { token: "someone-else" })).status).toBe(
      401,
    );
    expect(
      (await call(server, "GET", "/healthz", { token: null })).headers.get("x-ratelimit-limit"),
    ).toBeNull();

    clock += 60_000;
    const next = await call(server, "GET", "/v1/providers");
    expect(next.status).toBe(200);
    expect(next.headers.get("x-ratelimit-remaining")).toBe("2");
  });
});

describe("the auth0 SDK against the rate limit", () => {
  let server: TestServer;
  let clock = 0;
  beforeAll(async () => {
    clock = Date.now();
    server = await startTestServer({ rateLimitPerMinute: 1, now: () => clock });
  });
  afterAll(() => server.close());

  it("waits out Retry-After on a 429 and then succeeds", async () => {
    const statuses: number[] = [];
    const management = managementClient(server, {
      maxRetries: 1,
      onResponse: (response) => {
        statuses.push(response.status);
        // The window turns (on the server's clock) while the SDK waits, so its retry passes.
        if (response.status === 429) clock += 1_000;
      },
    });
    await management.clientGrants.list();
    // Half a second before the window turns: the 429 says to retry after a second or two.
    clock += 59_500;
    const page = await management.clientGrants.list();
    expect(page.data).toEqual([]);
    expect(statuses).toEqual([200, 429, 200]);
  });
});
