// The transport settings both factories accept, validated once per client.
import type { Dispatcher } from "undici";
import { assertOptionalObject, assertDurationMs, invalidArgument } from "./arguments";
import { resolveRequestBudget } from "./pacing";
import type { RequestBudget } from "./pacing";
import type { CallContext } from "./request-options";
import { resolveRetryPolicy } from "./retry";
import type { RetryOptions } from "./retry";
import { holdDispatcher } from "./transport";

/** The timeout of each attempt when the client is given none, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

// undici's own connect timeout is 10 s; a shorter request timeout must not be outlived by it.
const MAX_CONNECT_TIMEOUT_MS = 10_000;

/** Transport settings shared by {@link createGrantsClient} and {@link createOidcClient}. */
export interface TransportOptions {
  /**
   * The time each attempt may take, connect to last byte, in milliseconds.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /** Retry behaviour, or `false` for a single attempt. See {@link RetryOptions} for defaults. */
  readonly retry?: RetryOptions | false;
  /**
   * An undici dispatcher to send through instead of the client's own keep-alive `Agent`
   * (e.g. a `ProxyAgent` or a `MockAgent`). The client never closes a dispatcher it was given.
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Requests per second to each API origin, at most; the client makes its own
   * {@link RequestBudget} with it. See {@link RequestBudgetOptions.maxRequestsPerSecond} for the
   * defaults (no ceiling on loopback, 2 per second to Auth0 hosts).
   */
  readonly maxRequestsPerSecond?: number;
  /**
   * A budget made by {@link createRequestBudget}, shared with other clients so that together
   * they stay within one rate limit. Not together with `maxRequestsPerSecond`.
   */
  readonly requestBudget?: RequestBudget;
}

function isDispatcher(value: unknown): value is Dispatcher {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { dispatch?: unknown }).dispatch === "function"
  );
}

/** Validates the transport options and makes the context a client's calls share. @internal */
export function createCallContext(options: TransportOptions, name: string): CallContext {
  assertOptionalObject(options, name);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  assertDurationMs(timeoutMs, `${name}.timeoutMs`, { allowZero: false });
  const retry = resolveRetryPolicy(options.retry, `${name}.retry`);
  if (options.dispatcher !== undefined && !isDispatcher(options.dispatcher)) {
    throw invalidArgument(
      "ERR_INVALID_ARG_TYPE",
      `"${name}.dispatcher" must be an undici Dispatcher`,
    );
  }
  return {
    dispatcher: holdDispatcher(options.dispatcher, Math.min(timeoutMs, MAX_CONNECT_TIMEOUT_MS)),
    timeoutMs,
    retry,
    random: Math.random,
    budget: resolveRequestBudget(options.requestBudget, options.maxRequestsPerSecond, name),
    idempotentOrigins: new Set(),
  };
}
