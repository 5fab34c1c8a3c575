import type { FastifyInstance } from "fastify";
import { oidcEndpoints } from "../../../sdk/endpoints/oidc";
import type { ServerContext } from "../../context";
import { issuerOfRequest } from "../../oidc/issuer";
import { registerEndpoint } from "../register-endpoint";
import { PUBLIC_METADATA_CACHE_CONTROL } from "./discovery";

/**
 * `<issuer>/.well-known/jwks` (RFC 7517 §5): the active key and every retiring key whose tokens
 * may still be alive, so verification never breaks across a rotation.
 */
export function registerJwksRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, oidcEndpoints.jwks, async ({ request, reply }) => {
    const { provider } = await issuerOfRequest(context, request);
    reply.header("Cache-Control", PUBLIC_METADATA_CACHE_CONTROL);
    return context.keys.jwks(provider.id);
  });
}

/**
 * `/.well-known/jwks.json` at the root: the tenant key that signs Management API tokens (the
 * path Auth0 publishes its tenant keys at; provider issuers keep `/.well-known/jwks`).
 */
export function registerTenantJwksRoute(app: FastifyInstance, context: ServerContext): void {
  app.get(
    "/.well-known/jwks.json",
    { config: { dialect: "oidc", authenticated: false, operationId: "getTenantJwks" } },
    async (_request, reply) => {
      reply.header("Cache-Control", PUBLIC_METADATA_CACHE_CONTROL);
      return context.tenantKeys.jwks();
    },
  );
}
