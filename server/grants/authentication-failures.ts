import { OAuthError } from "../errors";

/** Failed client authentications allowed per client id in one window. */
export const FAILURES_PER_CLIENT = 20;
/** Failed client authentications allowed per source address in one window. */
export const FAILURES_PER_ADDRESS = 50;
const WINDOW_MS = 60_000;
const SWEEP_THRESHOLD = 10_000;

/**
 * Counts failed client authentications at the token endpoint, per client id and per source
 * address, in fixed one-minute windows. Only failures count, so valid clients are never slowed:
 *
 * - an address over its limit is refused (429) before any credential is checked, until its
 *   window turns: a guesser stops learning anything;
 * - a client id over its limit answers 429 instead of 401 to further wrong secrets, from any
 *   address, while requests with the right secret (from an address that is not locked) are
 *   still served, so an attack on a client id cannot lock its owner out.
 *
 * In memory, per server instance: several instances each apply the limits.
 */
export class AuthenticationFailures {
  readonly #now: () => number;
  readonly #windows = new Map<string, { startedAt: number; count: number }>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Throws 429 when the address is locked out. */
  assertAddressAllowed(address: string): void {
    const window = this.#current(`address:${address}`);
    if (window !== undefined && window.count >= FAILURES_PER_ADDRESS) {
      throw this.#tooMany(window, "from this address");
    }
  }

  /** Records a failure; returns the 429 to answer instead of `failure` when a limit is passed. */
  recordFailure(address: string, clientId: string | undefined): OAuthError | undefined {
    const byAddress = this.#increment(`address:${address}`);
    const byClient = clientId === undefined ? undefined : this.#increment(`client:${clientId}`);
    if (byClient !== undefined && byClient.count > FAILURES_PER_CLIENT) {
      return this.#tooMany(byClient, "for this client");
    }
    if (byAddress.count > FAILURES_PER_ADDRESS)
      return this.#tooMany(byAddress, "from this address");
    return undefined;
  }

  #current(key: string): { startedAt: number; count: number } | undefined {
    const window = this.#windows.get(key);
    if (window === undefined || this.#now() >= window.startedAt + WINDOW_MS) return undefined;
    return window;
  }

  #increment(key: string): { startedAt: number; count: number } {
    let window = this.#current(key);
    if (window === undefined) {
      if (this.#windows.size >= SWEEP_THRESHOLD) this.#sweep();
      window = { startedAt: this.#now(), count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return window;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, window] of this.#windows) {
      if (now >= window.startedAt + WINDOW_MS) this.#windows.delete(key);
    }
  }

  #tooMany(window: { startedAt: number }, scope: string): OAuthError {
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - this.#now()) / 1000));
    // RFC 6749 §5.2 has no rate-limit code; `invalid_client` keeps clients on the auth path, and
    // the status and Retry-After say to wait.
    return new OAuthError(
      429,
      "invalid_client",
      `Too many failed client authentications ${scope}; retry after ${retryAfter} s`,
      { headers: { "Retry-After": String(retryAfter) } },
    );
  }
}
