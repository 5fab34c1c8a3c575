import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GRANTS_NETWORK,
  GRANTS_NOT_FOUND,
  GRANTS_RATE_LIMITED,
  GRANTS_SERVER,
  GRANTS_TIMEOUT,
  createGrantsClient,
  isGrantsError,
} from "../../sdk";
import type { ClientGrant, CreatedClient, GrantsClient, GrantsErrorCode } from "../../sdk";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { sequence, startFaultProxy } from "../support/fault-proxy";
import type { Fault, FaultProxy, ProxiedRequest } from "../support/fault-proxy";
import { failure } from "./_support/failure";

const ATTEMPTS = 3;

// A fault-injecting proxy between the client and the real grant server. Waits are measured where
// they matter, at the proxy: when each attempt arrived.
describe("retries through a faulty network", () => {
  let server: TestServer;
  let direct: GrantsClient;
  let proxy: FaultProxy;
  let client: GrantsClient;
  let app: CreatedClient;
  let audienceCounter = 0;
  let seen: number;

  beforeAll(async () => {
    server = await startTestServer();
    direct = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
    proxy = await startFaultProxy(server.url);
    client = createGrantsClient({
      apiUrl: proxy.url,
      apiToken: server.adminToken,
      retry: { attempts: ATTEMPTS, minDelayMs: 5, maxDelayMs: 20, maxTotalWaitMs: 5_000 },
    });
    const provider = await direct.providers.create({ name: "faults", description: "faults" });
    app = await direct.clients.create(provider.id, { name: "faulty", audience: "faulty-api" });
  });
  afterAll(async () => {
    await client.close();
    await direct.close();
    await proxy.close();
    await server.close();
  });
  beforeEach(() => {
    seen = proxy.requests.length;
    proxy.plan(() => ({ type: "forward" }));
  });

  /** The requests that reached the proxy during this test. */
  const arrivals = (): ProxiedRequest[] => proxy.requests.slice(seen);
  /** A fault for the first `n` requests of this test, forwarding afterwards. */
  const firstRequests = (...faults: Fault[]) => {
    const plan = sequence(...faults);
    proxy.plan((request) => plan({ ...request, index: request.index - seen }));
  };
  const newGrant = (): Promise<ClientGrant> =>
    direct.clientGrants.create({
      client_id: app.id,
      audience: `https://faults-${(audienceCounter += 1)}.example`,
    });

  it("waits at least Retry-After seconds before retrying a rate-limited read", async () => {
    firstRequests({ type: "respond", status: 429, headers: { "retry-after": "1" }, body: {} });
    await expect(client.providers.list()).resolves.toEqual(expect.any(Array));
    const [first, second] = arrivals();
    expect(arrivals()).toHaveLength(2);
    expect((second?.arrivedAt ?? 0) - (first?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("waits until X-RateLimit-Reset before retrying a rate-limited delete", async () => {
    const grant = await newGrant();
    const resetAt = Math.ceil(Date.now() / 1000) + 1;
    firstRequests({
      type: "respond",
      status: 429,
      headers: { "x-ratelimit-reset": String(resetAt) },
      body: {
        statusCode: 429,
        error: "Too Many Requests",
        message: "Global limit has been reached",
      },
    });
    await expect(client.clientGrants.delete(grant.id)).resolves.toBeUndefined();
    const [, second] = arrivals();
    expect(arrivals()).toHaveLength(2);
    expect(second?.arrivedAtEpochMs ?? 0).toBeGreaterThanOrEqual(resetAt * 1000);
    await expect(direct.clientGrants.get(grant.id)).rejects.toMatchObject({
      code: GRANTS_NOT_FOUND,
    });
  });

  it("retries a read and a delete after a 503", async () => {
    const grant = await newGrant();
    firstRequests(
      { type: "respond", status: 503, body: { code: "unavailable", message: "try later" } },
      { type: "forward" },
      { type: "respond", status: 503 },
    );
    await expect(client.clientGrants.get(grant.id)).resolves.toEqual(grant);
    await expect(client.clientGrants.delete(grant.id)).resolves.toBeUndefined();
    expect(arrivals().map((request) => request.method)).toEqual(["GET", "GET", "DELETE", "DELETE"]);
  });

  it("retries a read and a delete after a reset connection", async () => {
    const grant = await newGrant();
    firstRequests({ type: "reset" }, { type: "forward" }, { type: "reset" });
    await expect(client.clientGrants.get(grant.id)).resolves.toEqual(grant);
    await expect(client.clientGrants.delete(grant.id)).resolves.toBeUndefined();
    expect(arrivals().map((request) => request.method)).toEqual(["GET", "GET", "DELETE", "DELETE"]);
    await expect(direct.clientGrants.get(grant.id)).rejects.toMatchObject({
      code: GRANTS_NOT_FOUND,
    });
  });

  // Timeouts generous enough for a loaded machine: only the stalled attempt may run out.
  it("retries a read and a delete that stall past the timeout", async () => {
    const grant = await newGrant();
    firstRequests({ type: "stall" }, { type: "forward" }, { type: "forward-and-withhold" });
    await expect(client.clientGrants.get(grant.id, { timeoutMs: 1_000 })).resolves.toEqual(grant);
    // The first DELETE reached the server and removed the grant; its repeat then finds nothing,
    // which callers of an idempotent delete treat as done.
    const error = await failure(client.clientGrants.delete(grant.id, { timeoutMs: 1_000 }));
    expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
    expect(arrivals().map((request) => request.method)).toEqual(["GET", "GET", "DELETE", "DELETE"]);
  });

  it("repeats a create that timed out after reaching the server with its Idempotency-Key, and the server creates it once", async () => {
    await client.providers.list(); // the client learns that this server honours keys
    seen = proxy.requests.length;
    let posts = 0;
    proxy.plan(({ method }) =>
      method === "POST" && posts++ === 0 ? { type: "forward-and-withhold" } : { type: "forward" },
    );
    const created = await client.providers.create(
      { name: "timed-out", description: "sent twice, made once" },
      { timeoutMs: 300 },
    );
    // Two attempts at least: a repeat that meets the first still running (409, Retry-After)
    // waits and asks again; every one carries the same key.
    expect(arrivals().filter((request) => request.method === "POST").length).toBeGreaterThanOrEqual(
      2,
    );
    await proxy.upstreamSettled();
    const providers = await direct.providers.list();
    expect(providers.filter((provider) => provider.name === "timed-out")).toEqual([
      expect.objectContaining({ id: created.id }),
    ]);
  });

  it("repeats a create whose connection was reset", async () => {
    await client.providers.list();
    seen = proxy.requests.length;
    firstRequests({ type: "reset" });
    const grant = await client.clientGrants.create({
      client_id: app.id,
      audience: "https://reset-post.example",
    });
    expect(arrivals()).toHaveLength(2);
    expect(grant.audience).toBe("https://reset-post.example");
  });

  it("does not repeat a create to a server it has not heard honour Idempotency-Key", async () => {
    const fresh = createGrantsClient({
      apiUrl: proxy.url,
      apiToken: server.adminToken,
      retry: { attempts: ATTEMPTS, minDelayMs: 5, maxDelayMs: 20, maxTotalWaitMs: 5_000 },
    });
    try {
      firstRequests({ type: "reset" });
      const error = await failure(
        fresh.clientGrants.create({
          client_id: app.id,
          audience: "https://unknown-server.example",
        }),
      );
      expect(isGrantsError(error, GRANTS_NETWORK)).toBe(true);
      expect(arrivals()).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it("repeats any request answered 429 or 503 with Retry-After: the server did not act", async () => {
    const fresh = createGrantsClient({
      apiUrl: proxy.url,
      apiToken: server.adminToken,
      retry: { attempts: ATTEMPTS, minDelayMs: 5, maxDelayMs: 20, maxTotalWaitMs: 5_000 },
    });
    try {
      firstRequests(
        { type: "respond", status: 503, headers: { "retry-after": "0" } },
        { type: "respond", status: 429, headers: { "retry-after": "0" } },
      );
      const grant = await fresh.clientGrants.create({
        client_id: app.id,
        audience: "https://retry-after.example",
      });
      expect(grant.audience).toBe("https://retry-after.example");
      expect(arrivals()).toHaveLength(3);
    } finally {
      await fresh.close();
    }
  });

  it("does not repeat a PATCH answered with 503", async () => {
    const grant = await newGrant();
    firstRequests({ type: "respond", status: 503 });
    const error = await failure(client.clientGrants.update(grant.id, { scope: ["a"] }));
    expect(isGrantsError(error, GRANTS_SERVER)).toBe(true);
    expect(arrivals()).toHaveLength(1);
  });

  it.each([
    ["503", { type: "respond", status: 503 }, GRANTS_SERVER],
    ["429", { type: "respond", status: 429, headers: { "retry-after": "0" } }, GRANTS_RATE_LIMITED],
    ["reset", { type: "reset" }, GRANTS_NETWORK],
    ["stall", { type: "stall" }, GRANTS_TIMEOUT],
  ] as [string, Fault, GrantsErrorCode][])(
    "stops after the configured attempts when every answer is a %s",
    async (_, fault, code) => {
      proxy.plan(() => fault);
      const error = await failure(client.providers.list({ timeoutMs: 200 }));
      expect(isGrantsError(error, code)).toBe(true);
      expect(error).toMatchObject({ attempts: ATTEMPTS });
      expect(arrivals()).toHaveLength(ATTEMPTS);
    },
  );

  it("gives up at once when Retry-After exceeds the wait budget, saying how long", async () => {
    firstRequests({ type: "respond", status: 429, headers: { "retry-after": "120" } });
    const error = await failure(client.providers.list());
    expect(isGrantsError(error, GRANTS_RATE_LIMITED)).toBe(true);
    expect(error).toMatchObject({ attempts: 1, retryAfterMs: 120_000, status: 429 });
    expect((error as Error).message).toContain("the server asked to wait 120 s");
    expect((error as Error).message).toContain("retry.maxTotalWaitMs");
    expect(arrivals()).toHaveLength(1);
  });

  it("stops waiting for a retry when the caller aborts", async () => {
    firstRequests({ type: "respond", status: 503, headers: { "retry-after": "4" } });
    const controller = new AbortController();
    const reason = new Error("cancelled");
    const pending = client.providers.list({ signal: controller.signal });
    setTimeout(() => controller.abort(reason), 100);
    await expect(pending).rejects.toBe(reason);
    expect(arrivals()).toHaveLength(1);
  });
});
