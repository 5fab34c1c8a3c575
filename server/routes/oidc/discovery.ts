import type { FastifyInstance } from "fastify";
import { oidcEndpoints } from "../../../sdk/endpoints/oidc";
import { CLIENT_ASSERTION_ALGORITHMS } from "../../../sdk/schemas/oauth-client-metadata";
import type { ServerContext } from "../../context";
import { issuerOfRequest } from "../../oidc/issuer";
import { registerEndpoint } from "../register-endpoint";

/** Discovery and JWKS change only on rotation; relying parties may cache them briefly. */
export const PUBLIC_METADATA_CACHE_CONTROL = "public, max-age=300";

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export function registerDiscoveryRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, oidcEndpoints.discovery, async ({ request, reply }) => {
    const { provider, issuer } = await issuerOfRequest(context, request);
    reply.header("Cache-Control", PUBLIC_METADATA_CACHE_CONTROL);
    return {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks`,
      token_endpoint: `${issuer}/oauth/token`,
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
      id_token_signing_alg_values_supported: await context.keys.publishedAlgorithms(provider.id),
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "client_id", "scope"],
      // Scopes are whatever client grants name; none is predefined.
      scopes_supported: [],
    };
  });
}
