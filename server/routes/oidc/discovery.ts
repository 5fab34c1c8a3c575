import type { FastifyInstance, FastifyRequest } from "fastify";
import { oidcEndpoints } from "../../../sdk/endpoints/oidc";
import { CLIENT_ASSERTION_ALGORITHMS } from "../../../sdk/schemas/oauth-client-metadata";
import type { ServerContext } from "../../context";
import { GrantServerError } from "../../errors";
import { issuerOfRequest } from "../../oidc/issuer";
import { tenantIssuer } from "../../tenant/tenant-keys";
import { registerEndpoint } from "../register-endpoint";

/** Discovery and JWKS change only on rotation; relying parties may cache them briefly. */
export const PUBLIC_METADATA_CACHE_CONTROL = "public, max-age=300";

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export function registerDiscoveryRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, oidcEndpoints.discovery, async ({ request, reply }) => {
    const target = await discoveryTarget(context, request);
    reply.header("Cache-Control", PUBLIC_METADATA_CACHE_CONTROL);
    return {
      issuer: target.issuer,
      jwks_uri: target.jwksUri,
      token_endpoint: target.tokenEndpoint,
      grant_types_supported: ["client_credentials"],
      // `none` authenticates no grant this issuer offers (client_credentials needs a secret or
      // a key), so it is not listed.
      token_endpoint_auth_methods_supported: [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
      ],
      token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
      subject_types_supported: ["public"],
      // There is no authorization endpoint, so no response type is supported (as useGrant says).
      response_types_supported: [],
      id_token_signing_alg_values_supported: target.algorithms,
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "client_id", "scope"],
      // Scopes are whatever client grants name; none is predefined.
      scopes_supported: [],
    };
  });
}

/**
 * A provider's issuer, or at the root (no custom domain for `Host`) the tenant's, as Auth0
 * publishes it: issuer `<publicUrl>/`, keys at `/.well-known/jwks.json`. Reading it never makes
 * the tenant.
 */
async function discoveryTarget(
  context: ServerContext,
  request: FastifyRequest,
): Promise<{ issuer: string; jwksUri: string; tokenEndpoint: string; algorithms: string[] }> {
  try {
    const { provider, issuer } = await issuerOfRequest(context, request);
    return {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks`,
      tokenEndpoint: `${issuer}/oauth/token`,
      algorithms: await context.keys.publishedAlgorithms(provider.id),
    };
  } catch (error) {
    const atRoot = (request.params as Record<string, unknown>).providerId === undefined;
    if (!(atRoot && error instanceof GrantServerError && error.code === "inexistent_provider")) {
      throw error;
    }
    const publicUrl = context.publicUrl();
    const tenant = await context.tenantKeys.current();
    return {
      issuer: tenantIssuer(publicUrl),
      jwksUri: `${publicUrl}/.well-known/jwks.json`,
      tokenEndpoint: `${publicUrl}/oauth/token`,
      algorithms: tenant ? await context.keys.publishedAlgorithms(tenant.id) : [],
    };
  }
}
