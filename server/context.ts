import type { AuthenticationFailures } from "./grants/authentication-failures";
import type { KeyRing } from "./keys/key-ring";
import type { RateLimiter } from "./rate-limit";
import type { Store } from "./store/store";
import type { TenantKeys } from "./tenant/tenant-keys";

import type { ResolveTxt } from "./resolve-txt";

export type { ResolveTxt } from "./resolve-txt";

/** What every route needs, built once by `startServer` and passed explicitly (no globals). */
export interface ServerContext {
  readonly store: Store;
  readonly keys: KeyRing;
  readonly masterKey: Buffer;
  /** The clock, epoch milliseconds; injectable so tests can travel in time. */
  readonly now: () => number;
  readonly adminToken: string;
  /** `http://HOST:PORT` as clients reach the server; known only once it listens. */
  readonly publicUrl: () => string;
  readonly resolveTxt: ResolveTxt;
  /** Undefined when rate limiting is off. */
  readonly rateLimiter: RateLimiter | undefined;
  readonly bodyLimitBytes: number;
  /** Failed client authentications at the token endpoint, per client id and address. */
  readonly authenticationFailures: AuthenticationFailures;
  /** Signs and verifies Management API tokens (`POST /oauth/token` at the root). */
  readonly tenantKeys: TenantKeys;
  /** Lifetime of a Management API token, seconds. */
  readonly managementTokenLifetimeSeconds: number;
}

/** ISO-8601 form of the context's clock. */
export function isoNow(context: ServerContext): string {
  return new Date(context.now()).toISOString();
}
