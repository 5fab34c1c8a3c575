import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { tokenEndpoints } from "../../../sdk/endpoints/tokens";
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from "../../../sdk/schemas/token";
import type { ServerContext } from "../../context";
import { signAccessToken } from "../../keys/sign-access-token";
import { effectiveIssuer } from "../../oidc/issuer";
import { activeKeyOf } from "../../oidc/active-key";
import { registerEndpoint } from "../register-endpoint";
import { findClient } from "./lookups";

/** `POST …/clients/{clientId}/tokens`: mint a token for a client with the admin token. */
export function registerTokenRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, tokenEndpoints.create, async ({ params, body, reply }) => {
    const { provider, client } = await findClient(context, params.providerId, params.clientId);
    const key = await activeKeyOf(context, provider.id);
    const issuer = await effectiveIssuer(context, provider.id, {
      forceDefaultDomain: body.forceDefaultDomain === true,
    });
    const { token, expiresAt } = await signAccessToken({
      key,
      claims: {
        iss: issuer,
        sub: client.subject,
        aud: body.audienceAsArray === true ? [client.audience] : client.audience,
        client_id: client.id,
      },
      issuedAt: Math.floor(context.now() / 1000),
      lifetimeSeconds: body.expiresIn ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
      type: body.useJwtType === true ? "jwt" : "at+jwt",
      jwtId: randomUUID(),
    });
    // A bearer token must not be kept by caches (RFC 6749 §5.1 asks the same of token responses).
    reply.header("Cache-Control", "no-store");
    return {
      accessToken: token,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      type: "Bearer" as const,
    };
  });
}
