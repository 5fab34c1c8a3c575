import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Which API an endpoint belongs to, and so what its paths are relative to:
 * - `usegrant`: the useGrant API base (`apiUrl`, e.g. `https://sdk.usegrant.dev`), errors `{code, message}`;
 * - `auth0`: the Auth0 Management API base (`managementApiUrl`, e.g. `https://tenant.auth0.com/api/v2`),
 *   errors `{statusCode, error, message, errorCode}`;
 * - `nevismeta`: the nevisMeta REST base (`nevisMetaUrl`, e.g. `https://host/nevismeta/rest`),
 *   HTTP Basic, errors `{status, code, message, errors[{field, message}]}`;
 * - `oidc`: a provider's issuer URL; OAuth errors per RFC 6749 §5.2.
 */
export type Dialect = "usegrant" | "auth0" | "nevismeta" | "oidc";

/**
 * One HTTP operation of the wire contract. The server routes with it and validates with its
 * schemas, the sdk client calls through it, and the OpenAPI document is generated from it.
 */
export interface Endpoint {
  readonly operationId: string;
  readonly dialect: Dialect;
  readonly method: HttpMethod;
  /** Path relative to the dialect's base, with `{param}` placeholders. */
  readonly path: string;
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Absent when the success answer has no body (204). */
  readonly response?: z.ZodType;
  readonly successStatus: 200 | 201 | 204;
  /** Whether the management bearer token is required. */
  readonly authenticated: boolean;
}

/** Keeps the literal types of an endpoint declaration while checking its shape. */
export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint;
}

/** Fills `{param}` placeholders, percent-encoding each value. */
export function expandPath(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`path parameter "${name}" is missing`);
    return encodeURIComponent(value);
  });
}
