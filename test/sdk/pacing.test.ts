import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient, createRequestBudget } from "../../sdk";
import type { GrantsClient } from "../../sdk";
import { Pacer, defaultRequestsPerSecond } from "../../sdk/pacing";
import type { PacingClock } from "../../sdk/pacing";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";

const START = Date.parse("2026-01-01T00:00:00.000Z");

/**
 * A clock that never waits: a sleeper is woken, earliest first, once every sleeper asleep
 * before it has been woken, and the time jumps to its wake-up time. Server and budget read it
 * both, so a minute of rate-limit window passes in milliseconds of real time.
 */
function fakeClock(): PacingClock & { elapsedMs(): number } {
  let time = START;
  const sleepers: { at: number; order: number; wake: () => void }[] = [];
  let order = 0;
  let draining = false;
  const drain = () => {
    draining = false;
    sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = sleepers.shift();
    if (next === undefined) return;
    time = Math.max(time, next.at);
    next.wake();
    schedule();
  };
  const schedule = () => {
    if (draining || sleepers.length === 0) return;
    draining = true;
    setImmediate(drain);
  };
  return {
    now: () => time,
    elapsedMs: () => time - START,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        sleepers.push({ at: time + ms, order: order++, wake: resolve });
        schedule();
      });
    },
  };
}

const rateLimitHeaders = (limit: number, remaining: number, resetAtSeconds: number) => ({
  "x-ratelimit-limit": String(limit),
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-reset": String(resetAtSeconds),
});

/** Acquires `count` permits at once and returns the clock's time at each grant, in order. */
async function grantTimes(pacer: Pacer, clock: ReturnType<typeof fakeClock>, count: number) {
  const url = new URL("https://tenant.example.com/api/v2/client-grants");
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      const permit = await pacer.acquire(url, undefined);
      times.push(clock.elapsedMs());
      permit.settle();
    }),
  );
  return times;
}

describe("request budget", () => {
  it("sends one second's worth at once, then one request per 1/rate seconds", async () => {
    const clock = fakeClock();
    const times = await grantTimes(new Pacer(4, clock), clock, 10);
    expect(times).toEqual([0, 0, 0, 0, 250, 500, 750, 1000, 1250, 1500]);
  });

  it("paces fractional rates with a burst of one request", async () => {
    const clock = fakeClock();
    const times = await grantTimes(new Pacer(0.5, clock), clock, 3);
    expect(times).toEqual([0, 2000, 4000]);
  });

  it("does not wait at all without a ceiling or rate-limit headers", async () => {
    const clock = fakeClock();
    const times = await grantTimes(new Pacer(Infinity, clock), clock, 50);
    expect(new Set(times)).toEqual(new Set([0]));
  });

  it("waits for X-RateLimit-Reset once X-RateLimit-Remaining reaches 0", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(Infinity, clock);
    const url = new URL("http://127.0.0.1:4000/api/v2/client-grants");
    const first = await pacer.acquire(url, undefined);
    first.settle(rateLimitHeaders(10, 0, START / 1000 + 30));
    await pacer.acquire(url, undefined);
    // The reset, plus the margin for a server clock a little behind ours.
    expect(clock.elapsedMs()).toBe(30_100);
  });

  it("counts requests still out against what the server said was left", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(Infinity, clock);
    const url = new URL("http://127.0.0.1:4000/api/v2/client-grants");
    const reset = START / 1000 + 60;
    (await pacer.acquire(url, undefined)).settle(rateLimitHeaders(100, 40, reset));
    // Four leave; their answers, counted by the server in turn, come back after.
    const out = await Promise.all(Array.from({ length: 4 }, () => pacer.acquire(url, undefined)));
    out.forEach((permit, i) => permit.settle(rateLimitHeaders(100, 39 - i, reset)));
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 37 }, async () => {
        const permit = await pacer.acquire(url, undefined);
        sent.push(clock.elapsedMs());
        permit.settle();
      }),
    );
    // 36 are left: 27 go at once, the last tenth of the limit is spread over the window's rest,
    // and the 37th waits for the window to turn.
    expect(sent.filter((at) => at === 0)).toHaveLength(27);
    const spread = sent.slice(27, 36);
    expect(spread.every((at, i) => at > (spread[i - 1] ?? 0))).toBe(true);
    expect(spread.at(-1)).toBeLessThan(60_100);
    expect(sent[36]).toBe(60_100);
  });

  it("sends the first request to an origin alone, until its answer says what is left", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(Infinity, clock);
    const url = new URL("http://127.0.0.1:4000/api/v2/client-grants");
    const order: string[] = [];
    const first = await pacer.acquire(url, undefined);
    const second = pacer.acquire(url, undefined).then((permit) => {
      order.push("second");
      return permit;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push("first answered");
    first.settle(rateLimitHeaders(10, 0, START / 1000 + 5));
    (await second).settle();
    expect(order).toEqual(["first answered", "second"]);
    expect(clock.elapsedMs()).toBe(5_100);
  });

  it("ignores late answers from a window that has turned", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(Infinity, clock);
    const url = new URL("http://127.0.0.1:4000/api/v2/client-grants");
    const reset = START / 1000 + 1;
    (await pacer.acquire(url, undefined)).settle(rateLimitHeaders(5, 4, reset));
    const late = await pacer.acquire(url, undefined);
    for (let i = 0; i < 3; i += 1) (await pacer.acquire(url, undefined)).settle();
    // The window is spent: the next request waits for it to turn.
    const next = await pacer.acquire(url, undefined);
    expect(clock.elapsedMs()).toBe(1_100);
    // An answer from the old window arrives late; it says nothing about the new one.
    late.settle(rateLimitHeaders(5, 0, reset));
    next.settle();
    for (let i = 0; i < 4; i += 1) (await pacer.acquire(url, undefined)).settle();
    expect(clock.elapsedMs()).toBe(1_100);
  });

  it("keeps one pace per origin", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(1, clock);
    const one = await pacer.acquire(new URL("https://a.example.com/x"), undefined);
    const other = await pacer.acquire(new URL("https://b.example.com/x"), undefined);
    expect(clock.elapsedMs()).toBe(0);
    one.settle();
    other.settle();
    await pacer.acquire(new URL("https://a.example.com/y"), undefined);
    expect(clock.elapsedMs()).toBe(1000);
  });

  it("stops waiting when the call's signal aborts", async () => {
    const pacer = new Pacer(0.001);
    const url = new URL("https://a.example.com/x");
    (await pacer.acquire(url, undefined)).settle();
    const controller = new AbortController();
    const waiting = pacer.acquire(url, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });

  it("has no ceiling on loopback and Auth0's Free-plan limit on Auth0 hosts", () => {
    expect(defaultRequestsPerSecond("127.0.0.1")).toBe(Infinity);
    expect(defaultRequestsPerSecond("localhost")).toBe(Infinity);
    expect(defaultRequestsPerSecond("[::1]")).toBe(Infinity);
    expect(defaultRequestsPerSecond("acme.eu.auth0.com")).toBe(2);
    expect(defaultRequestsPerSecond("ACME.auth0.com.")).toBe(2);
    expect(defaultRequestsPerSecond("auth0.com.example.org")).toBe(Infinity);
  });

  it("rejects a rate that is not a positive number, naming the option", () => {
    expect(() => createRequestBudget({ maxRequestsPerSecond: 0 })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARG_VALUE" }),
    );
    expect(() =>
      createGrantsClient({ apiUrl: "http://127.0.0.1:1", apiToken: "t", maxRequestsPerSecond: -1 }),
    ).toThrow(/options\.maxRequestsPerSecond/);
    expect(() =>
      createGrantsClient({
        apiUrl: "http://127.0.0.1:1",
        apiToken: "t",
        maxRequestsPerSecond: 1,
        requestBudget: createRequestBudget(),
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_VALUE" }));
  });
});

describe("request budget against the grant server's rate limit", () => {
  const clock = fakeClock();
  let server: TestServer;
  let clients: GrantsClient[];
  const LIMIT_PER_MINUTE = 20;

  beforeAll(async () => {
    server = await startTestServer({ rateLimitPerMinute: LIMIT_PER_MINUTE, now: clock.now });
    // Two clients, one budget: like the resource operations of one provider process.
    const budget = new Pacer(undefined, clock);
    clients = [0, 1].map(() =>
      createGrantsClient({
        apiUrl: server.url,
        apiToken: server.adminToken,
        requestBudget: budget,
        // A single attempt: any 429 fails the call instead of being waited out.
        retry: false,
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it("gets no 429 for 70 concurrent creates through two clients sharing one budget", async () => {
    const created = await Promise.allSettled(
      Array.from({ length: 70 }, (_, i) =>
        clients[i % 2]!.providers.create({ name: `paced-${i}`, description: "pacing" }),
      ),
    );
    const failures = created.filter((result) => result.status === "rejected");
    expect(failures).toEqual([]);
    // 70 requests at 20 a minute span four windows: three turned while the budget waited.
    expect(clock.elapsedMs()).toBeGreaterThanOrEqual(3 * 60_000);
    expect(clock.elapsedMs()).toBeLessThan(4 * 60_000);
  });
});
