import type { FastifyInstance, FastifyRequest } from "fastify";
import { oidcEndpoints } from "../../../sdk/endpoints/oidc";
import type { ServerContext } from "../../context";
import { GrantServerError, OAuthError } from "../../errors";
import { managementToken } from "../../tenant/management-token";
import { managementAudience, tenantIssuer } from "../../tenant/tenant-keys";
import * as clientCredentials from "../../grants/client-credentials";
import type { TokenRequestContext } from "../../grants/client-credentials";
import { defaultIssuer, issuerOfRequest, noIssuerAtPath } from "../../oidc/issuer";
import { isResourceId } from "../../secrets";
import type { ProviderRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";

type GrantHandler = (request: TokenRequestContext) => ReturnType<typeof clientCredentials.handler>;

/** The grants this server implements, by `grant_type`. */
const GRANTS: ReadonlyMap<string, GrantHandler> = new Map([
  [clientCredentials.grantType, clientCredentials.handler],
]);

/**
 * `POST <issuer>/oauth/token` (RFC 6749 §3.2): form-encoded or JSON parameters, dispatched on
 * `grant_type`. Errors are §5.2 bodies; every answer carries `Cache-Control: no-store` (§5.1).
 */
export function registerTokenEndpointRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(
    app,
    oidcEndpoints.token,
    async ({ request, reply }) => {
      reply.header("Cache-Control", "no-store");
      reply.header("Pragma", "no-cache");
      const params = tokenRequestParameters(request);
      const providerId = (request.params as Record<string, string | undefined>).providerId;
      if (providerId !== undefined) {
        // The provider is not read first: a client authenticates only if it belongs to it and
        // clients are deleted with their provider, so a token issued proves the provider exists.
        // Only a failed request reads it, to answer 404 for an issuer that does not exist. One
        // query fewer per token.
        if (!isResourceId(providerId)) throw noIssuerAtPath();
        try {
          return await grantToken(providerId, defaultIssuer(context, providerId), params, request);
        } catch (error) {
          if (!(await context.store.getProvider(providerId))) throw noIssuerAtPath();
          throw error;
        }
      }
      const target = await rootTarget(request);
      if (target === "tenant" && params.audience === managementAudience(context.publicUrl())) {
        if (params.grant_type !== clientCredentials.grantType) {
          throw new OAuthError(
            400,
            "unsupported_grant_type",
            "grant_type: only client_credentials is supported",
          );
        }
        return managementToken({
          context,
          params,
          authorization: request.headers.authorization,
          sourceAddress: request.ip,
        });
      }
      // Any other audience at the root: the tenant is an issuer like a provider's (its issuer
      // is the root, as an Auth0 tenant's), for its own applications.
      const { provider, issuer } = target === "tenant" ? await tenantTarget() : target;
      return grantToken(provider.id, issuer, params, request);
    },
    { validateBody: false },
  );

  /** Dispatches on `grant_type` to the grant that issues the token. */
  function grantToken(
    providerId: string,
    issuer: string,
    params: Record<string, string | undefined>,
    request: FastifyRequest,
  ): ReturnType<GrantHandler> {
    if (params.grant_type === undefined) {
      throw new OAuthError(400, "invalid_request", "grant_type: is required");
    }
    const grant = GRANTS.get(params.grant_type);
    if (!grant) {
      throw new OAuthError(
        400,
        "unsupported_grant_type",
        "grant_type: only client_credentials is supported",
      );
    }
    return grant({
      context,
      providerId,
      issuer,
      params,
      authorization: request.headers.authorization,
      sourceAddress: request.ip,
    });
  }

  /** The tenant as issuer; with no tenant yet there is no application to authenticate. */
  async function tenantTarget(): Promise<{ provider: ProviderRecord; issuer: string }> {
    const provider = await context.tenantKeys.current();
    if (!provider) throw new OAuthError(401, "invalid_client", "Client authentication failed");
    return { provider, issuer: tenantIssuer(context.publicUrl()) };
  }

  /**
   * At the root: the provider of a verified custom domain named by `Host`, else the tenant:
   * Management API tokens for the management audience, and for any other audience the tokens of
   * the tenant's applications, as Auth0's `/oauth/token`.
   */
  async function rootTarget(
    request: FastifyRequest,
  ): Promise<Awaited<ReturnType<typeof issuerOfRequest>> | "tenant"> {
    try {
      return await issuerOfRequest(context, request);
    } catch (error) {
      if (error instanceof GrantServerError && error.code === "inexistent_provider") {
        return "tenant";
      }
      throw error;
    }
  }
}

/**
 * The request parameters as single strings. §3.2: a parameter sent without a value is treated as
 * omitted, and none may be repeated. JSON bodies (an Auth0 extension) must hold string values.
 */
function tokenRequestParameters(request: FastifyRequest): Record<string, string | undefined> {
  const body: unknown = request.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new OAuthError(400, "invalid_request", "body: must be form parameters or a JSON object");
  }
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) {
      throw new OAuthError(400, "invalid_request", `${name}: must not be repeated`);
    }
    if (typeof value !== "string") {
      throw new OAuthError(400, "invalid_request", `${name}: must be a string`);
    }
    if (value !== "") params[name] = value;
  }
  return params;
}
