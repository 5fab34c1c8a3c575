import type { ManagementSettings } from "../../shared/api-settings";

/** An Auth0 tenant seen as an issuer: Auth0 signs its applications' tokens as the tenant. */
export interface Tenant {
  /** `https://<tenant>` (or the local server's root). */
  readonly url: string;
  /** `<tenant>/`, with the trailing slash, as Auth0's `iss`. */
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
}

/**
 * The tenant of the Management API settings: the client-credentials tenant, else the origin of
 * `grants:managementApiUrl` (Auth0's Management API is always `<tenant>/api/v2`).
 */
export function tenantOf(settings: ManagementSettings): Tenant {
  const url =
    settings.credentials.kind === "clientCredentials"
      ? settings.credentials.tenantUrl
      : settings.managementApiUrl.replace(/\/api\/v2\/?$/, "");
  return {
    url,
    issuer: `${url}/`,
    tokenEndpoint: `${url}/oauth/token`,
    discoveryUrl: `${url}/.well-known/openid-configuration`,
    jwksUri: `${url}/.well-known/jwks.json`,
  };
}
