// The client-side request budget: per API origin, a token bucket (the caller's own ceiling) and
// a model of the server's rate-limit window read from `X-RateLimit-*` headers, so requests slow
// down before the server says 429. Clients given the same budget share it, which is how every
// resource operation of one provider process stays within one tenant limit.
import type { IncomingHttpHeaders } from "node:http";
import { invalidArgument } from "./arguments";
import { sleep as abortableSleep } from "./retry";

/** Options of {@link createRequestBudget}. */
export interface RequestBudgetOptions {
  /**
   * Requests per second to each API origin, at most (fractions allowed, e.g. `0.5`);
   * `Infinity` for no ceiling of the client's own. A burst of up to one second's worth (at
   * least one request) goes out at once. Whatever the ceiling, requests slow down when the
   * server's `X-RateLimit-Remaining` runs low, and wait for `X-RateLimit-Reset` when it is 0.
   * @default Infinity for loopback hosts and other hosts; 2 for Auth0 hosts (`*.auth0.com`), the
   * sustained Management API limit of Auth0's Free plan
   */
  readonly maxRequestsPerSecond?: number;
}

/**
 * A request budget, shared by every client it is given to ({@link TransportOptions.requestBudget}).
 * Opaque: make one with {@link createRequestBudget}.
 */
export interface RequestBudget {
  /** The ceiling set at creation; `undefined` when each origin takes its host default. */
  readonly maxRequestsPerSecond: number | undefined;
}

/** What a request sent under the budget reports back. @internal */
export interface Permit {
  /** The request ended: with the answer's status and headers, or without one (network error). */
  settle(headers?: IncomingHttpHeaders): void;
}

/** Time as the budget sees it; tests pass a fake one. @internal */
export interface PacingClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

/** The Free-plan Management API limit (burst 2, 2 per second): safe on every Auth0 plan's production tenants. */
export const AUTH0_DEFAULT_REQUESTS_PER_SECOND = 2;

/**
 * When this few requests are left in the server's window (a tenth of its limit, at least 1),
 * the rest are spread over the time left instead of sent at once: an estimate that is a little
 * off (another client on the same token) then costs a short wait, not a 429.
 */
const LOW_WATER_FRACTION = 0.1;

/** Waits for a reset end this long after it: the server's clock may be a little behind ours. */
const RESET_MARGIN_MS = 100;

/** With no reset time known and nothing out to bring one (a network error), look again after this long. */
const UNKNOWN_RESET_POLL_MS = 250;

/** What #serverWait answers when the next answer, not a time, ends the wait. */
const WAIT_FOR_ANSWER = Infinity;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "[::1]", "::1"]);

/** The host default of {@link RequestBudgetOptions.maxRequestsPerSecond}. @internal */
export function defaultRequestsPerSecond(hostname: string): number {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (LOOPBACK_HOSTS.has(host) || host.endsWith(".localhost") || /^127\./.test(host)) {
    return Infinity;
  }
  if (host === "auth0.com" || host.endsWith(".auth0.com")) return AUTH0_DEFAULT_REQUESTS_PER_SECOND;
  return Infinity;
}

/** Validates a `maxRequestsPerSecond` value. @internal */
export function assertRequestsPerSecond(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"${name}" must be a number of requests per second greater than 0 (or Infinity), got ${String(value)}`,
    );
  }
}

function headerNumber(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** What the server last said about its window, as this process counts it down. */
interface ServerWindow {
  limit: number;
  /** Requests still allowed in the window, minus those sent since the server said so. */
  remaining: number;
  /** When the window turns (epoch ms); `undefined` after it turned and before a new answer. */
  resetAtMs: number | undefined;
  /** The reset time of the window that turned, to tell late answers from it apart. */
  previousResetAtMs: number;
  /** When the last request went out while spreading the remainder. */
  lastSpreadAt: number;
}

/** The pace of one origin. */
class OriginPace {
  readonly #clock: PacingClock;
  /** GCRA (the virtual-scheduling form of a token bucket): when the next request is due. */
  #theoreticalAt = -Infinity;
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  #window: ServerWindow | undefined;
  #inFlight = 0;
  /** Whether an answer came back yet; until then one request goes at a time (see acquire). */
  #answered = false;
  readonly #answerWaiters = new Set<() => void>();

  constructor(requestsPerSecond: number, clock: PacingClock) {
    this.#clock = clock;
    this.#intervalMs = Number.isFinite(requestsPerSecond) ? 1000 / requestsPerSecond : 0;
    const burst = Math.max(1, Math.floor(requestsPerSecond));
    this.#toleranceMs = Number.isFinite(requestsPerSecond) ? (burst - 1) * this.#intervalMs : 0;
  }

  async acquire(signal: AbortSignal | undefined): Promise<Permit> {
    // The bucket slot is reserved at once, so concurrent callers queue in arrival order.
    if (this.#intervalMs > 0) {
      const now = this.#clock.now();
      const due = Math.max(this.#theoreticalAt, now - this.#toleranceMs);
      this.#theoreticalAt = due + this.#intervalMs;
      const wait = due - now;
      if (wait > 0) await this.#clock.sleep(wait, signal);
    }
    // The first request to an origin goes alone: its answer says whether the server limits
    // the rate, and how much is left, before a burst of concurrent requests spends it.
    while (!this.#answered && this.#inFlight > 0) await this.#nextAnswer(signal);
    // The server's window is judged when the slot comes, with the latest headers.
    for (;;) {
      const wait = this.#serverWait();
      if (wait <= 0) break;
      // The window turned and is spent before any answer from it: that answer brings its reset.
      if (wait === WAIT_FOR_ANSWER) await this.#nextAnswer(signal);
      else await this.#clock.sleep(wait, signal);
    }
    this.#inFlight += 1;
    let settled = false;
    return {
      settle: (headers) => {
        if (settled) return;
        settled = true;
        this.#inFlight -= 1;
        if (headers !== undefined) {
          this.#answered = true;
          this.#observe(headers);
        }
        // Waiters look again; after a network error, one of them is the next to go alone.
        const waiters = [...this.#answerWaiters];
        this.#answerWaiters.clear();
        for (const wake of waiters) wake();
      },
    };
  }

  #nextAnswer(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        this.#answerWaiters.delete(wake);
        reject(signal?.reason);
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.#answerWaiters.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** 0 when a request may go now (and counts it against the window), else how long to wait. */
  #serverWait(): number {
    const window = this.#window;
    if (window === undefined) return 0;
    const now = this.#clock.now();
    if (window.resetAtMs !== undefined && now >= window.resetAtMs + RESET_MARGIN_MS) {
      window.previousResetAtMs = window.resetAtMs;
      window.resetAtMs = undefined;
      window.remaining = window.limit;
    }
    if (window.remaining <= 0) {
      if (window.resetAtMs !== undefined) return window.resetAtMs + RESET_MARGIN_MS - now;
      return this.#inFlight > 0 ? WAIT_FOR_ANSWER : UNKNOWN_RESET_POLL_MS;
    }
    const lowWater = Math.max(1, Math.ceil(window.limit * LOW_WATER_FRACTION));
    if (window.remaining <= lowWater && window.resetAtMs !== undefined) {
      // Spread what is left evenly over what is left of the window.
      const gap = (window.resetAtMs + RESET_MARGIN_MS - now) / (window.remaining + 1);
      const due = window.lastSpreadAt + gap;
      if (due > now) return due - now;
      window.lastSpreadAt = now;
    }
    window.remaining -= 1;
    return 0;
  }

  #observe(headers: IncomingHttpHeaders): void {
    const limit = headerNumber(headers, "x-ratelimit-limit");
    const reported = headerNumber(headers, "x-ratelimit-remaining");
    const reset = headerNumber(headers, "x-ratelimit-reset");
    if (limit === undefined || reported === undefined || reset === undefined) return;
    const resetAtMs = reset * 1000;
    const window = this.#window;
    if (window === undefined) {
      this.#window = {
        limit,
        remaining: Math.max(0, reported - this.#inFlight),
        resetAtMs,
        previousResetAtMs: -Infinity,
        lastSpreadAt: -Infinity,
      };
      return;
    }
    window.limit = limit;
    if (window.resetAtMs === undefined) {
      // The window turned here; answers from before it say nothing about the new one.
      if (resetAtMs <= window.previousResetAtMs) return;
      window.resetAtMs = resetAtMs;
      window.remaining = Math.min(window.remaining, reported);
    } else if (resetAtMs === window.resetAtMs) {
      // Our count already includes requests the server has not seen yet; a lower answer means
      // someone else spends the same limit.
      window.remaining = Math.min(window.remaining, reported);
    } else if (resetAtMs > window.resetAtMs) {
      // The server turned its window before we expected: requests still out will count there.
      window.previousResetAtMs = window.resetAtMs;
      window.resetAtMs = resetAtMs;
      window.remaining = Math.max(0, reported - this.#inFlight);
    }
  }
}

const REAL_CLOCK: PacingClock = { now: Date.now, sleep: abortableSleep };

/** The budget's implementation; {@link RequestBudget} is its public face. @internal */
export class Pacer implements RequestBudget {
  readonly maxRequestsPerSecond: number | undefined;
  readonly #clock: PacingClock;
  readonly #origins = new Map<string, OriginPace>();

  constructor(maxRequestsPerSecond: number | undefined, clock: PacingClock = REAL_CLOCK) {
    this.maxRequestsPerSecond = maxRequestsPerSecond;
    this.#clock = clock;
  }

  /** Waits until a request to `url` fits the budget; the permit reports how it ended. */
  acquire(url: URL, signal: AbortSignal | undefined): Promise<Permit> {
    let pace = this.#origins.get(url.origin);
    if (pace === undefined) {
      pace = new OriginPace(
        this.maxRequestsPerSecond ?? defaultRequestsPerSecond(url.hostname),
        this.#clock,
      );
      this.#origins.set(url.origin, pace);
    }
    return pace.acquire(signal);
  }
}

/**
 * Makes a request budget to share between clients:
 *
 * @example
 * ```ts
 * const budget = createRequestBudget({ maxRequestsPerSecond: 5 });
 * const grants = createGrantsClient({ apiUrl, apiToken, requestBudget: budget });
 * const oidc = createOidcClient({ issuer, requestBudget: budget });
 * ```
 */
export function createRequestBudget(options: RequestBudgetOptions = {}): RequestBudget {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("ERR_INVALID_ARG_TYPE", `"options" must be an object`);
  }
  if (options.maxRequestsPerSecond !== undefined) {
    assertRequestsPerSecond(options.maxRequestsPerSecond, "options.maxRequestsPerSecond");
  }
  return new Pacer(options.maxRequestsPerSecond);
}

/** The budget a client's calls go through: the one given, or its own. @internal */
export function resolveRequestBudget(
  budget: unknown,
  maxRequestsPerSecond: unknown,
  name: string,
): Pacer {
  if (budget !== undefined) {
    if (!(budget instanceof Pacer)) {
      throw invalidArgument(
        "ERR_INVALID_ARG_TYPE",
        `"${name}.requestBudget" must be made by createRequestBudget()`,
      );
    }
    if (maxRequestsPerSecond !== undefined) {
      throw invalidArgument(
        "ERR_INVALID_ARG_VALUE",
        `"${name}.maxRequestsPerSecond" and "${name}.requestBudget" cannot both be set: the budget has its own rate`,
      );
    }
    return budget;
  }
  if (maxRequestsPerSecond !== undefined) {
    assertRequestsPerSecond(maxRequestsPerSecond, `${name}.maxRequestsPerSecond`);
  }
  return new Pacer(maxRequestsPerSecond as number | undefined);
}
