import { STATUS_CODES } from "node:http";
import type { Dialect } from "../sdk/endpoints/endpoint";
import type { OAuthErrorCode } from "../sdk/schemas/oauth";

/**
 * Every failure the grant server answers with has one of these stable codes. Management
 * (useGrant and Auth0 dialect) codes come first; the OAuth codes are RFC 6749 §5.2's.
 * `docs/errors.md` documents each one, and a test keeps the two in step.
 */
export const MANAGEMENT_ERROR_CODES = [
  "invalid_body",
  "invalid_query_string",
  "invalid_uri",
  "invalid_token",
  "invalid_header",
  "idempotency_key_reused",
  "operation_not_supported",
  "insufficient_scope",
  "inexistent_provider",
  "inexistent_client",
  "inexistent_domain",
  "inexistent_client_grant",
  "inexistent_module",
  "inexistent_setup",
  "inexistent_route",
  "conflict",
  "payload_too_large",
  "too_many_requests",
  "internal_server_error",
] as const;
export type ManagementErrorCode = (typeof MANAGEMENT_ERROR_CODES)[number];

/** The RFC 6749 §5.2 codes the token endpoint actually sends. */
export const OAUTH_ERROR_CODES = [
  "invalid_request",
  "invalid_client",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "server_error",
] as const satisfies readonly OAuthErrorCode[];
export type TokenEndpointErrorCode = (typeof OAUTH_ERROR_CODES)[number];

export type ServerErrorCode = ManagementErrorCode | TokenEndpointErrorCode;

/**
 * The one error type route code throws. `message` is public (it goes into the response body), so
 * it must never hold a secret; `expose` is false for 5xx, whose message is replaced by a generic
 * one on the wire.
 */
export class GrantServerError extends Error {
  readonly status: number;
  readonly code: ServerErrorCode;
  readonly expose: boolean;
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;
  /** The failing input fields by path (`jwks.keys[0].d`), for dialects that list them. */
  readonly fields: readonly FieldIssue[];

  constructor(status: number, code: ServerErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GrantServerError";
    this.status = status;
    this.code = code;
    this.expose = status < 500;
    this.headers = options.headers ?? {};
    this.fields = options.fields ?? [];
  }
}

/** One failing input field: its path and what is wrong (never its value). */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

interface ErrorOptions {
  headers?: Record<string, string>;
  cause?: unknown;
  fields?: readonly FieldIssue[];
}

/** A management API failure (useGrant or Auth0 dialect). */
export class ApiError extends GrantServerError {
  declare readonly code: ManagementErrorCode;

  constructor(status: number, code: ManagementErrorCode, message: string, options?: ErrorOptions) {
    super(status, code, message, options);
    this.name = "ApiError";
  }
}

/** A token endpoint failure, answered as RFC 6749 §5.2 `{error, error_description}`. */
export class OAuthError extends GrantServerError {
  declare readonly code: TokenEndpointErrorCode;

  constructor(
    status: number,
    code: TokenEndpointErrorCode,
    description: string,
    options?: { headers?: Record<string, string>; cause?: unknown },
  ) {
    super(status, code, description, options);
    this.name = "OAuthError";
  }
}

export function notFound(
  code: Extract<ManagementErrorCode, `inexistent_${string}`>,
  message: string,
): ApiError {
  return new ApiError(404, code, message);
}

/** useGrant codes are one per status (the hosted API's convention). */
const USEGRANT_CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  429: "too_many_requests",
  500: "internal_server_error",
};

const GENERIC_MESSAGE = "Internal server error";

/**
 * The wire body of an error in the dialect of the route that failed. Errors that must not be
 * exposed (5xx, anything not a {@link GrantServerError}) become a generic 500 without detail.
 */
export function toErrorBody(error: GrantServerError, dialect: Dialect): Record<string, unknown> {
  const message = error.expose ? error.message : GENERIC_MESSAGE;
  switch (dialect) {
    case "usegrant":
      return {
        code:
          USEGRANT_CODE_BY_STATUS[error.status] ??
          (error.status < 500 ? "bad_request" : "internal_server_error"),
        message,
      };
    case "auth0":
      return {
        statusCode: error.status,
        error: STATUS_CODES[error.status] ?? "Error",
        message,
        errorCode: error.expose ? error.code : "internal_server_error",
      };
    case "nevismeta":
      return {
        status: error.status,
        code: error.expose ? error.code : "internal_server_error",
        message,
        ...(error.expose && error.fields.length > 0 ? { errors: error.fields } : {}),
      };
    case "oidc":
      return { error: oauthCodeFor(error), error_description: message };
  }
}

// Other failures on an issuer route (bad JSON, oversized body, unknown issuer) still answer in
// RFC 6749 §5.2 form; `not_found` is outside the RFC list, which receivers must tolerate.
function oauthCodeFor(error: GrantServerError): string {
  if (!error.expose) return "server_error";
  if (error instanceof OAuthError) return error.code;
  if (error.status === 404) return "not_found";
  return "invalid_request";
}

/** Wraps anything thrown that is not ours into an unexposed 500, keeping it as `cause` for logs. */
export function asServerError(error: unknown): GrantServerError {
  if (error instanceof GrantServerError) return error;
  return new ApiError(500, "internal_server_error", GENERIC_MESSAGE, { cause: error });
}
