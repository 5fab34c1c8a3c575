/** What one request learns from the limiter; sent as `X-RateLimit-*` headers. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets (Auth0's `X-RateLimit-Reset` unit). */
  resetAt: number;
}

const WINDOW_MS = 60_000;
/** Above this many tracked callers, expired windows are swept on the next request. */
const SWEEP_THRESHOLD = 10_000;

/**
 * A fixed one-minute window per caller key. Simple and predictable for IaC clients, which read
 * `X-RateLimit-Reset` to wait exactly until the window turns.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { startedAt: number; count: number }>();

  constructor(limitPerMinute: number, now: () => number) {
    this.#limit = limitPerMinute;
    this.#now = now;
  }

  take(key: string): RateLimitDecision {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || now >= window.startedAt + WINDOW_MS) {
      if (this.#windows.size >= SWEEP_THRESHOLD) this.#sweep(now);
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count++;
    return {
      allowed: window.count <= this.#limit,
      limit: this.#limit,
      remaining: Math.max(0, this.#limit - window.count),
      resetAt: Math.ceil((window.startedAt + WINDOW_MS) / 1000),
    };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now >= window.startedAt + WINDOW_MS) this.#windows.delete(key);
    }
  }
}
