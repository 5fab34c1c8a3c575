import type {
  Auth0ErrorBody,
  NevisMetaErrorBody,
  OAuthError,
  UseGrantErrorBody,
} from "./wire-types";

/** The resource does not exist (404, 410). */
export const GRANTS_NOT_FOUND = "GRANTS_NOT_FOUND";
/** The resource already exists or changed underneath the request (409, 412). */
export const GRANTS_CONFLICT = "GRANTS_CONFLICT";
/** Missing, invalid or expired credentials (401, or the OAuth error `invalid_client`). */
export const GRANTS_UNAUTHORIZED = "GRANTS_UNAUTHORIZED";
/** Valid credentials without the permission (403, e.g. insufficient scope or `access_denied`). */
export const GRANTS_FORBIDDEN = "GRANTS_FORBIDDEN";
/** Too many requests (429), after the retries the client was allowed to make. */
export const GRANTS_RATE_LIMITED = "GRANTS_RATE_LIMITED";
/** The server rejected the request as invalid (400, 413, 422 and other 4xx). */
export const GRANTS_VALIDATION = "GRANTS_VALIDATION";
/** The server failed (5xx), after the retries the client was allowed to make. */
export const GRANTS_SERVER = "GRANTS_SERVER";
/** No complete answer arrived within the request timeout (or the server answered 408). */
export const GRANTS_TIMEOUT = "GRANTS_TIMEOUT";
/** The connection failed: refused, reset, DNS failure, TLS failure. */
export const GRANTS_NETWORK = "GRANTS_NETWORK";
/** The server answered something the wire contract does not allow. */
export const GRANTS_INVALID_RESPONSE = "GRANTS_INVALID_RESPONSE";

/** Every code a {@link GrantsError} can carry. The set is closed: a `switch` over it is exhaustive. */
export const GRANTS_ERROR_CODES = [
  GRANTS_NOT_FOUND,
  GRANTS_CONFLICT,
  GRANTS_UNAUTHORIZED,
  GRANTS_FORBIDDEN,
  GRANTS_RATE_LIMITED,
  GRANTS_VALIDATION,
  GRANTS_SERVER,
  GRANTS_TIMEOUT,
  GRANTS_NETWORK,
  GRANTS_INVALID_RESPONSE,
] as const;

/** The stable code of a {@link GrantsError}; branch on it, never on the message. */
export type GrantsErrorCode = (typeof GRANTS_ERROR_CODES)[number];

/** A parsed error body: useGrant `{code, message}`, Auth0 `{statusCode, error, message, errorCode?}` or OAuth `{error, error_description?}`. */
export type GrantsErrorBody = UseGrantErrorBody | Auth0ErrorBody | NevisMetaErrorBody | OAuthError;

/** One way a response broke the contract, as a path into the body and zod's message. */
export interface ResponseIssue {
  readonly path: string;
  readonly message: string;
}

/** Constructor input of {@link GrantsError}. */
export interface GrantsErrorOptions {
  readonly code: GrantsErrorCode;
  readonly method: string;
  /** The request URL; query values that look like credentials are redacted before storing it. */
  readonly url: string;
  readonly status?: number;
  readonly body?: GrantsErrorBody;
  readonly requestId?: string;
  readonly attempts?: number;
  readonly retryAfterMs?: number;
  readonly issues?: readonly ResponseIssue[];
  readonly cause?: unknown;
}

// Symbol.for puts the brand in the global registry, so an error made by a second copy of this
// module (a Pulumi-serialized provider bundles its own) still passes isGrantsError.
const kGrantsError = Symbol.for("pulumi-grants.error");

// Query parameters whose values must never reach a message, a log or JSON.
const SECRET_QUERY_KEYS =
  /(secret|token|password|passwd|assertion|api[-_]?key|credential|signature|code_verifier)/i;

/**
 * Returns `url` without user info and with credential-like query values replaced by `[REDACTED]`.
 * @internal
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return "[invalid url]";
  }
  parsed.username = "";
  parsed.password = "";
  parsed.hash = "";
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) parsed.searchParams.set(key, "[REDACTED]");
  }
  return parsed.toString();
}

/**
 * The one error class for every failure the grant APIs report or the network causes. Caller
 * mistakes are not `GrantsError`s: they throw a `TypeError` with code `ERR_INVALID_ARG_TYPE` or
 * `ERR_INVALID_ARG_VALUE` before any request is sent.
 *
 * Secrets never appear in it: the message names the method, the redacted URL, the status and the
 * server's own message; request headers and bodies are never stored.
 *
 * @example
 * ```ts
 * try {
 *   await client.providers.get(id);
 * } catch (error) {
 *   if (isGrantsError(error, GRANTS_NOT_FOUND)) return undefined;
 *   throw error;
 * }
 * ```
 */
export class GrantsError extends Error {
  /** The stable code; see {@link GrantsErrorCode}. */
  readonly code: GrantsErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The server's parsed error body, when it matched one of the three error dialects. */
  readonly body?: GrantsErrorBody;
  /** From the `x-request-id` or `request-id` response header; quote it to the server's operator. */
  readonly requestId?: string;
  readonly method: string;
  /** The request URL without user info, with credential-like query values redacted. */
  readonly url: string;
  /** How many attempts were made before giving up (1 when nothing was retried). */
  readonly attempts?: number;
  /** How long the server asked to wait (`Retry-After` / `X-RateLimit-Reset`), when it did. */
  readonly retryAfterMs?: number;
  /** For {@link GRANTS_INVALID_RESPONSE} from a body that broke its schema: what was wrong where. */
  readonly issues?: readonly ResponseIssue[];

  constructor(message: string, options: GrantsErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GrantsError";
    this.code = options.code;
    this.method = options.method;
    this.url = redactUrl(options.url);
    if (options.status !== undefined) this.status = options.status;
    if (options.body !== undefined) this.body = options.body;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.attempts !== undefined) this.attempts = options.attempts;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.issues !== undefined) this.issues = options.issues;
    // Non-enumerable: a brand, not data; it must not show up in JSON or inspection.
    Object.defineProperty(this, kGrantsError, { value: true, enumerable: false });
    Error.captureStackTrace?.(this, GrantsError);
  }

  /** A plain, secret-free summary for structured logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      method: this.method,
      url: this.url,
      status: this.status,
      requestId: this.requestId,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      body: this.body,
      issues: this.issues,
    };
  }

  /** `instanceof` also recognises errors from another copy of this module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isGrantsError(value);
  }
}

/**
 * Whether `value` is a {@link GrantsError} (from any copy of this module), optionally with the
 * given code.
 *
 * @example
 * ```ts
 * if (isGrantsError(error, GRANTS_NOT_FOUND)) {
 *   // already gone: treat the delete as done
 * }
 * ```
 */
export function isGrantsError(value: unknown, code?: GrantsErrorCode): value is GrantsError {
  if (typeof value !== "object" || value === null) return false;
  if ((value as Record<symbol, unknown>)[kGrantsError] !== true) return false;
  return code === undefined || (value as { code?: unknown }).code === code;
}

/**
 * The code for an HTTP error status. 401 and 403 mean what they say; the remaining 4xx are
 * requests the server would not accept as sent.
 * @internal
 */
export function errorCodeForStatus(status: number): GrantsErrorCode {
  if (status === 401) return GRANTS_UNAUTHORIZED;
  if (status === 403) return GRANTS_FORBIDDEN;
  if (status === 404 || status === 410) return GRANTS_NOT_FOUND;
  if (status === 409 || status === 412) return GRANTS_CONFLICT;
  if (status === 429) return GRANTS_RATE_LIMITED;
  if (status === 408) return GRANTS_TIMEOUT;
  if (status >= 500) return GRANTS_SERVER;
  if (status >= 400) return GRANTS_VALIDATION;
  // 1xx/3xx: this client follows no redirects and no API of the contract sends one.
  return GRANTS_INVALID_RESPONSE;
}
