// When to try a request again and how long to wait first. Pure decisions plus one abortable sleep;
// the request loop that uses them is in ./request.ts.
import type { IncomingHttpHeaders } from "node:http";
import { assertInteger, assertDurationMs, assertOptionalObject } from "./arguments";

/**
 * How the client retries. Waits grow exponentially with full jitter
 * (`random(0, min(maxDelayMs, minDelayMs · 2^(n−1)))`), except that a `Retry-After` or
 * `X-RateLimit-Reset` header sets the wait exactly.
 *
 * Only requests that are safe to repeat are retried on a 429, 502, 503, 504, a reset connection
 * or a timeout: GET, HEAD, PUT and DELETE, the POSTs that change nothing on the server (OAuth
 * token requests, minting a useGrant token, verifying a domain), and creates sent with an
 * `Idempotency-Key` to a server that has shown it honours them (the grant server answers with
 * `grants-idempotency-keys: honoured`). Any other POST is retried only when it provably never
 * reached the server (connection refused, DNS failure, connect timeout) or when the server
 * answered 429 or 503 with a `Retry-After`, which say it did not act.
 */
export interface RetryOptions {
  /**
   * Attempts in total, the first included; 1 disables retries.
   * @default 4
   */
  readonly attempts?: number;
  /**
   * The base of the exponential backoff, in milliseconds.
   * @default 250
   */
  readonly minDelayMs?: number;
  /**
   * The largest backoff wait, in milliseconds (a server-requested wait may be longer).
   * @default 8000
   */
  readonly maxDelayMs?: number;
  /**
   * The most the client sleeps between attempts of one call, in milliseconds, summed. A server
   * asking for a longer wait than what is left ends the retries at once. The default is longer
   * than the grant server's one-minute rate-limit window, so a rate-limited call waits it out.
   * @default 90000
   */
  readonly maxTotalWaitMs?: number;
}

/** {@link RetryOptions} with every default applied. @internal */
export type RetryPolicy = Readonly<Required<RetryOptions>>;

/** The retry defaults, as documented on {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS: RetryPolicy = Object.freeze({
  attempts: 4,
  minDelayMs: 250,
  maxDelayMs: 8_000,
  maxTotalWaitMs: 90_000,
});

const NO_RETRY_POLICY: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY_OPTIONS, attempts: 1 });

/** Validates `retry` options (or `false`) and fills the defaults. @internal */
export function resolveRetryPolicy(value: unknown, name: string): RetryPolicy {
  if (value === false) return NO_RETRY_POLICY;
  assertOptionalObject(value, name);
  if (value === undefined) return DEFAULT_RETRY_OPTIONS;
  const options = value as RetryOptions;
  const policy: { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] } = {
    ...DEFAULT_RETRY_OPTIONS,
  };
  if (options.attempts !== undefined) {
    assertInteger(options.attempts, `${name}.attempts`, 1, 100);
    policy.attempts = options.attempts;
  }
  if (options.minDelayMs !== undefined) {
    assertDurationMs(options.minDelayMs, `${name}.minDelayMs`, { allowZero: true });
    policy.minDelayMs = options.minDelayMs;
  }
  if (options.maxDelayMs !== undefined) {
    assertDurationMs(options.maxDelayMs, `${name}.maxDelayMs`, { allowZero: true });
    policy.maxDelayMs = options.maxDelayMs;
  }
  if (options.maxTotalWaitMs !== undefined) {
    assertDurationMs(options.maxTotalWaitMs, `${name}.maxTotalWaitMs`, { allowZero: true });
    policy.maxTotalWaitMs = options.maxTotalWaitMs;
  }
  return Object.freeze(policy);
}

/** Methods RFC 9110 §9.2.2 calls idempotent that this client sends. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** Whether repeating the request cannot change the outcome on the server. @internal */
export function isRepeatable(method: string, safePost: boolean): boolean {
  return IDEMPOTENT_METHODS.has(method) || (method === "POST" && safePost);
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

// Errors raised while connecting: no byte of the request has left this process, so even a POST
// can be sent again.
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

// Errors after the request may have been (partly) sent: only safe to repeat for idempotent calls.
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** How one attempt failed, as far as the retry decision cares. @internal */
export type AttemptFailure =
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "network"; readonly errorCode: string | undefined }
  | { readonly kind: "timeout" };

/** Whether a network error code proves the request never reached the server. @internal */
export function neverReachedServer(errorCode: string | undefined): boolean {
  return errorCode !== undefined && NEVER_SENT_CODES.has(errorCode);
}

/**
 * Whether the failure is worth another attempt for a request of this kind. `serverAskedToWait`:
 * the answer carried `Retry-After` (or a rate-limit reset). @internal
 */
export function isRetryableFailure(
  failure: AttemptFailure,
  repeatable: boolean,
  serverAskedToWait = false,
): boolean {
  switch (failure.kind) {
    case "status":
      // 429 and 503 with a wait say the server did not act: safe for every method.
      if (serverAskedToWait && (failure.status === 429 || failure.status === 503)) return true;
      return repeatable && RETRYABLE_STATUSES.has(failure.status);
    case "network":
      return (
        neverReachedServer(failure.errorCode) ||
        (repeatable && failure.errorCode !== undefined && TRANSIENT_CODES.has(failure.errorCode))
      );
    case "timeout":
      // The request was sent; the server may be acting on it.
      return repeatable;
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) in milliseconds from `now`.
 * @internal
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait the server asked for, in milliseconds: `Retry-After` first; on a 429 also Auth0's
 * `X-RateLimit-Reset` (Unix epoch seconds when the bucket refills).
 * @internal
 */
export function serverRequestedDelayMs(
  status: number,
  headers: IncomingHttpHeaders,
  now: number,
): number | undefined {
  const retryAfter = parseRetryAfter(headerValue(headers, "retry-after"), now);
  if (retryAfter !== undefined) return retryAfter;
  if (status !== 429) return undefined;
  const reset = headerValue(headers, "x-ratelimit-reset")?.trim();
  if (reset === undefined || !/^\d+$/.test(reset)) return undefined;
  return Math.max(0, Number(reset) * 1000 - now);
}

/**
 * Full-jitter exponential backoff for the wait after failed attempt `attempt` (1-based).
 * @internal
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. @internal */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
