// What every call receives, kept apart from the call engine so the public declarations that
// name these types never reach the contract's zod types.
import type { Pacer } from "./pacing";
import type { RetryPolicy } from "./retry";
import type { DispatcherHolder } from "./transport";

/** Per-call options every operation accepts as its last argument. */
export interface RequestOptions {
  /** Aborts the call, including retry waits; the call then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout for each attempt of this call, in milliseconds. */
  readonly timeoutMs?: number;
}

/** What a client shares with each call. @internal */
export interface CallContext {
  readonly dispatcher: DispatcherHolder;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  /** The request budget every attempt waits for (shared when the caller passed one). */
  readonly budget: Pacer;
  /**
   * Origins that answered with `grants-idempotency-keys: honoured`: a create sent there with an
   * Idempotency-Key can be repeated after a lost answer.
   */
  readonly idempotentOrigins: Set<string>;
}
