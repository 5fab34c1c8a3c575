import { randomUUID } from "node:crypto";
import type { TokenResponse } from "../../sdk/schemas/oauth";
import type { ServerContext } from "../context";
import { OAuthError } from "../errors";
import { authenticateClient } from "../grants/authentication/authenticate-client";
import { assertMayUseClientCredentials } from "../grants/client-credentials";
import { signAccessToken } from "../keys/sign-access-token";
import { managementAudience, tenantIssuer } from "./tenant-keys";

/**
 * `POST /oauth/token` at the server root, `grant_type=client_credentials`, for the Management
 * API (`audience` = `<publicUrl>/api/v2/`): any client of the server authenticates (as any M2M
 * application of an Auth0 tenant does), and its client grant on that audience bounds the scopes.
 * No `scope` requested → every granted scope; a scope outside the grant → `invalid_scope`.
 */
export async function managementToken(request: {
  context: ServerContext;
  params: Readonly<Record<string, string | undefined>>;
  authorization: string | undefined;
  /** The client's address, for the failed-authentication limits. */
  sourceAddress: string;
}): Promise<TokenResponse> {
  const { context, params } = request;
  const publicUrl = context.publicUrl();
  const { client, method } = await authenticateClient({
    context,
    providerId: undefined,
    issuer: publicUrl,
    params,
    authorization: request.authorization,
    sourceAddress: request.sourceAddress,
  });
  assertMayUseClientCredentials(context, client, method);
  const audience = managementAudience(publicUrl);
  if (params.audience !== audience) {
    throw new OAuthError(
      400,
      "invalid_request",
      `audience: this endpoint issues Management API tokens only; expected ${JSON.stringify(audience)}, got ${JSON.stringify(params.audience ?? null)}`,
    );
  }
  const grant = await context.store.findClientGrant(client.id, audience, "client");
  if (!grant) {
    throw new OAuthError(
      400,
      "unauthorized_client",
      `audience: the client has no client grant for ${JSON.stringify(audience)}`,
    );
  }
  const granted = grant.scope ?? [];
  const requested = params.scope?.split(" ").filter((s) => s !== "");
  if (requested !== undefined && requested.length > 0) {
    const missing = requested.filter((s) => !granted.includes(s));
    if (missing.length > 0) {
      throw new OAuthError(400, "invalid_scope", `scope: not granted: ${missing.join(" ")}`);
    }
  }
  const scope = [
    ...new Set(requested !== undefined && requested.length > 0 ? requested : granted),
  ].join(" ");
  const lifetimeSeconds = context.managementTokenLifetimeSeconds;
  const { token } = await signAccessToken({
    key: await context.tenantKeys.signingKey(),
    claims: {
      iss: tenantIssuer(publicUrl),
      sub: `${client.id}@clients`,
      aud: audience,
      client_id: client.id,
      ...(scope === "" ? {} : { scope }),
    },
    issuedAt: Math.floor(context.now() / 1000),
    lifetimeSeconds,
    type: "at+jwt",
    jwtId: randomUUID(),
  });
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: lifetimeSeconds,
    ...(scope === "" ? {} : { scope }),
  };
}
