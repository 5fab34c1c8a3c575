import { randomUUID } from "node:crypto";
import type { TokenResponse } from "../../sdk/schemas/oauth";
import { SCOPE_TOKEN_PATTERN } from "../../sdk/schemas/client-grant";
import { clientCredentialsRequestSchema } from "../../sdk/schemas/oauth";
import type { ServerContext } from "../context";
import { OAuthError } from "../errors";
import { signAccessToken } from "../keys/sign-access-token";
import { activeKeyOf } from "../oidc/active-key";
import type { ClientGrantRecord, ClientRecord } from "../store/store";
import { describeIssues } from "../validation";
import { authenticateClient } from "./authentication/authenticate-client";
import type { PresentedAuthMethod } from "./authentication/authenticate-client";

/** The grant this module implements (RFC 6749 §4.4). */
export const grantType = "client_credentials";

/** The parameters it reads besides `grant_type` and client authentication. */
export const parameters: ReadonlySet<string> = new Set(["audience", "scope"]);

/** What the token endpoint hands a grant handler. */
export interface TokenRequestContext {
  context: ServerContext;
  /**
   * The issuer's provider. Under `/p/<id>` it has not been read: the client authenticates only if
   * it belongs to this provider, and clients are deleted with their provider.
   */
  providerId: string;
  /** The issuer the request came through; it becomes the token's `iss`. */
  issuer: string;
  /** Request parameters, single-valued, empty ones already dropped (§3.2). */
  params: Readonly<Record<string, string | undefined>>;
  authorization: string | undefined;
  /** The client's address, for the failed-authentication limits. */
  sourceAddress: string;
}

/**
 * `grant_type=client_credentials`: the client authenticates, names the API (`audience`) and
 * optionally a scope. A client grant for (client, audience, subject type `client`) must exist;
 * it is the ceiling of what may be issued:
 * - no such grant → `unauthorized_client` (§5.2: the client is not authorized to use this grant
 *   for that audience);
 * - a requested scope outside the grant → `invalid_scope` (§5.2: "exceeds the scope granted");
 * - no `scope` → every scope the grant holds; `allow_all_scopes` → any requested scope.
 *
 * The client's own metadata bounds that further (issue #10): its `grant_types` must hold
 * `client_credentials` and it must be confidential (§4.4: "MUST only be used by confidential
 * clients"), else `unauthorized_client`; it must be valid (`valid_from` passed); its `scopes`,
 * when set, cap what any grant yields; the token lives its `access_token_ttl`.
 */
export async function handler(request: TokenRequestContext): Promise<TokenResponse> {
  const { context, providerId, issuer, params } = request;
  // The client and its grant for the requested audience in one query. The grant is looked at
  // only once the client has authenticated, and only for the audience the schema then accepts.
  const requestedAudience = params.audience;
  let read: { audience: string; grant: ClientGrantRecord | undefined } | undefined;
  const { client, method } = await authenticateClient({
    context,
    providerId,
    issuer,
    params,
    authorization: request.authorization,
    sourceAddress: request.sourceAddress,
    lookUpClient:
      requestedAudience === undefined
        ? undefined
        : async (clientId) => {
            const found = await context.store.getClientWithGrant(clientId, requestedAudience);
            read = found && { audience: requestedAudience, grant: found.grant };
            return found?.client;
          },
  });
  const { metadata } = client;
  assertMayUseClientCredentials(context, client, method);

  const parsed = clientCredentialsRequestSchema.safeParse(params);
  if (!parsed.success) {
    throw new OAuthError(400, "invalid_request", describeIssues(parsed.error.issues, "body"));
  }
  const { audience } = parsed.data;

  const grant =
    read?.audience === audience
      ? read.grant
      : await context.store.findClientGrant(client.id, audience, "client");
  if (!grant) {
    throw new OAuthError(
      400,
      "unauthorized_client",
      `audience: the client has no client grant for ${JSON.stringify(audience)}`,
    );
  }

  const requested = parseScope(parsed.data.scope);
  const clientScopes = metadata.scopes;
  const grantedScopes = (grant.scope ?? []).filter(
    (scope) => clientScopes === undefined || clientScopes.includes(scope),
  );
  if (requested !== undefined) {
    const missing = requested.filter(
      (scope) =>
        (grant.allowAllScopes !== true && !grantedScopes.includes(scope)) ||
        (clientScopes !== undefined && !clientScopes.includes(scope)),
    );
    if (missing.length > 0) {
      throw new OAuthError(400, "invalid_scope", `scope: not granted: ${missing.join(" ")}`);
    }
  }
  const scope = (requested ?? grantedScopes).join(" ");
  const lifetimeSeconds = metadata.access_token_ttl;

  const { token } = await signAccessToken({
    key: await activeKeyOf(context, providerId),
    claims: {
      iss: issuer,
      sub: client.subject,
      aud: audience,
      client_id: client.clientId,
      // An allow_all_scopes grant asked for no scope: no claim rather than an empty one.
      ...(scope === "" ? {} : { scope }),
    },
    issuedAt: Math.floor(context.now() / 1000),
    lifetimeSeconds,
    type: "at+jwt",
    jwtId: randomUUID(),
  });
  const response: TokenResponse = {
    access_token: token,
    token_type: "Bearer",
    expires_in: lifetimeSeconds,
  };
  // §5.1: scope is returned whenever it may differ from the request (here: when it was omitted).
  if (scope !== "") response.scope = scope;
  return response;
}

function parseScope(scope: string | undefined): string[] | undefined {
  if (scope === undefined) return undefined;
  const tokens = scope.split(" ").filter((token) => token !== "");
  if (tokens.length === 0) return undefined;
  const malformed = tokens.find((token) => !SCOPE_TOKEN_PATTERN.test(token));
  if (malformed !== undefined) {
    throw new OAuthError(400, "invalid_scope", "scope: holds a character RFC 6749 §3.3 forbids");
  }
  return [...new Set(tokens)];
}

/**
 * What the client's metadata says about this grant, for every endpoint that issues it (the
 * issuers and the tenant's Management API token endpoint): a public client (`none`) may not use
 * it, its `grant_types` must list it, and its `valid_from` must have passed.
 */
export function assertMayUseClientCredentials(
  context: ServerContext,
  client: ClientRecord,
  method: PresentedAuthMethod,
): void {
  const { metadata } = client;
  if (method === "none") {
    throw new OAuthError(
      400,
      "unauthorized_client",
      "client_credentials: only confidential clients may use this grant",
    );
  }
  if (!metadata.grant_types.includes("client_credentials")) {
    throw new OAuthError(
      400,
      "unauthorized_client",
      "grant_type: the client's grant_types do not include client_credentials",
    );
  }
  if (metadata.valid_from !== undefined && Date.parse(metadata.valid_from) > context.now()) {
    throw new OAuthError(
      400,
      "unauthorized_client",
      `the client is not valid before ${metadata.valid_from}`,
    );
  }
}
