import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_OPTIONS } from "../../sdk";
import {
  backoffDelayMs,
  isRepeatable,
  isRetryableFailure,
  parseRetryAfter,
  resolveRetryPolicy,
  serverRequestedDelayMs,
  sleep,
} from "../../sdk/retry";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("retry policy", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("prefers Retry-After and falls back to X-RateLimit-Reset on a 429 only", () => {
    const reset = String(now / 1000 + 7);
    expect(
      serverRequestedDelayMs(429, { "retry-after": "2", "x-ratelimit-reset": reset }, now),
    ).toBe(2000);
    expect(serverRequestedDelayMs(429, { "x-ratelimit-reset": reset }, now)).toBe(7000);
    expect(serverRequestedDelayMs(503, { "x-ratelimit-reset": reset }, now)).toBeUndefined();
    expect(serverRequestedDelayMs(503, { "retry-after": "1" }, now)).toBe(1000);
    expect(serverRequestedDelayMs(429, {}, now)).toBeUndefined();
  });

  it("backs off exponentially with full jitter under the cap", () => {
    const policy = { ...DEFAULT_RETRY_OPTIONS, minDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelayMs(policy, 2, () => 0)).toBe(0);
  });

  it.each([
    ["GET", false, true],
    ["HEAD", false, true],
    ["PUT", false, true],
    ["DELETE", false, true],
    ["PATCH", false, false],
    ["POST", false, false],
    ["POST", true, true],
  ])("treats %s (safe POST: %s) as repeatable: %s", (method, safePost, expected) => {
    expect(isRepeatable(method, safePost)).toBe(expected);
  });

  it.each([
    [{ kind: "status", status: 429 }, true, true],
    [{ kind: "status", status: 503 }, true, true],
    [{ kind: "status", status: 500 }, true, false],
    [{ kind: "status", status: 404 }, true, false],
    [{ kind: "status", status: 503 }, false, false],
    [{ kind: "timeout" }, true, true],
    [{ kind: "timeout" }, false, false],
    [{ kind: "network", errorCode: "UND_ERR_SOCKET" }, true, true],
    [{ kind: "network", errorCode: "UND_ERR_SOCKET" }, false, false],
    [{ kind: "network", errorCode: "ECONNRESET" }, false, false],
    [{ kind: "network", errorCode: "ECONNREFUSED" }, false, true],
    [{ kind: "network", errorCode: "UND_ERR_CONNECT_TIMEOUT" }, false, true],
    [{ kind: "network", errorCode: "ENOTFOUND" }, false, true],
    [{ kind: "network", errorCode: "ERR_TLS_CERT_ALTNAME_INVALID" }, true, false],
  ] as const)("retries %j (repeatable: %s): %s", (failure, repeatable, expected) => {
    expect(isRetryableFailure(failure, repeatable)).toBe(expected);
  });

  it("fills defaults, accepts false, and names the bad option", () => {
    expect(resolveRetryPolicy(undefined, "options.retry")).toEqual(DEFAULT_RETRY_OPTIONS);
    expect(resolveRetryPolicy(false, "options.retry").attempts).toBe(1);
    expect(resolveRetryPolicy({ attempts: 2 }, "options.retry")).toMatchObject({
      attempts: 2,
      minDelayMs: DEFAULT_RETRY_OPTIONS.minDelayMs,
    });
    expect(() => resolveRetryPolicy({ attempts: 0 }, "options.retry")).toThrow(
      expect.objectContaining({
        code: "ERR_INVALID_ARG_VALUE",
        message: '"options.retry.attempts" must be an integer from 1 to 100',
      }),
    );
    expect(() => resolveRetryPolicy({ minDelayMs: "1" }, "options.retry")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }),
    );
    expect(() => resolveRetryPolicy(true, "options.retry")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }),
    );
  });

  it("stops sleeping when the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });
});
