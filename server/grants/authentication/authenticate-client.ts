import type { ServerContext } from "../../context";
import { OAuthError } from "../../errors";
import type { ClientRecord } from "../../store/store";
import { parseBasic, secretMethodAllowed, verifyClientSecret } from "./client-secret";
import type { BasicCredentials } from "./client-secret";
import {
  JWT_BEARER_ASSERTION_TYPE,
  assertionSubject,
  verifyClientAssertion,
} from "./private-key-jwt";

/** How a token request authenticated its client. */
export type PresentedAuthMethod =
  "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";

/** What the token endpoint knows about the request, for client authentication. */
export interface ClientAuthenticationRequest {
  context: ServerContext;
  /**
   * The issuer's provider; undefined at the tenant token endpoint, where a client of any
   * provider authenticates.
   */
  providerId: string | undefined;
  /** The issuer the request came through. */
  issuer: string;
  params: Readonly<Record<string, string | undefined>>;
  authorization: string | undefined;
  /** The client's address, for the failed-authentication limits. */
  sourceAddress: string;
  /**
   * Reads a client by OAuth `client_id`; the store's `getClientByClientId` unless a grant reads
   * more with it (the client_credentials grant reads the client's grant in the same query).
   */
  lookUpClient?: (clientId: string) => Promise<ClientRecord | undefined>;
}

/**
 * Authenticates the client of a token request by the method its metadata registers
 * (`token_endpoint_auth_method`), as one place for every grant:
 * - `client_secret_basic`: the `Authorization: Basic` header (RFC 6749 §2.3.1);
 * - `client_secret_post`: the `client_id` and `client_secret` parameters, or Basic;
 * - `private_key_jwt`: a `client_assertion` signed with a registered key (RFC 7523 §2.2);
 * - `none`: only `client_id` (public clients; grants decide what they may do).
 *
 * Unknown client, wrong credentials, a method the client is not registered for and a client of
 * another issuer all fail with `invalid_client` (§5.2).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export async function authenticateClient(
  request: ClientAuthenticationRequest,
): Promise<{ client: ClientRecord; method: PresentedAuthMethod }> {
  const failures = request.context.authenticationFailures;
  failures.assertAddressAllowed(request.sourceAddress);
  try {
    return await authenticate(request);
  } catch (error) {
    // Only failed authentications count (never a valid client), per address and per client id.
    if (error instanceof OAuthError && error.code === "invalid_client") {
      const { params, authorization } = request;
      const basicId = authorization === undefined ? undefined : parseBasic(authorization)?.id;
      const clientId =
        params.client_id ??
        basicId ??
        (params.client_assertion === undefined
          ? undefined
          : assertionSubject(params.client_assertion));
      throw failures.recordFailure(request.sourceAddress, clientId) ?? error;
    }
    throw error;
  }
}

async function authenticate(
  request: ClientAuthenticationRequest,
): Promise<{ client: ClientRecord; method: PresentedAuthMethod }> {
  const { context, params, authorization } = request;
  const triedBasic = authorization !== undefined && /^basic\b/i.test(authorization.trim());
  const basic = triedBasic ? parseBasic(authorization) : undefined;
  // Built only when authentication fails: an Error captures a stack trace, which would cost
  // every successful token request as much as a store lookup.
  const failure = () =>
    new OAuthError(401, "invalid_client", "Client authentication failed", {
      // §5.2: a client that tried the Authorization header gets a challenge for that scheme.
      headers: triedBasic ? { "WWW-Authenticate": 'Basic realm="grants-server"' } : {},
    });
  if (triedBasic && basic === undefined) throw failure();
  const assertion = params.client_assertion;
  const assertionType = params.client_assertion_type;
  const credentialsSent =
    Number(basic !== undefined) +
    Number(params.client_secret !== undefined) +
    Number(assertion !== undefined || assertionType !== undefined);
  // §2.3: a client MUST NOT use more than one authentication method in each request.
  if (credentialsSent > 1) {
    throw new OAuthError(400, "invalid_request", "client authentication: use only one method");
  }
  if (basic && params.client_id !== undefined && params.client_id !== basic.id) {
    throw new OAuthError(
      400,
      "invalid_request",
      "client_id: does not match the Authorization header",
    );
  }

  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
      throw new OAuthError(
        400,
        "invalid_request",
        `client_assertion_type: must be ${JWT_BEARER_ASSERTION_TYPE}`,
      );
    }
    if (assertion === undefined) {
      throw new OAuthError(400, "invalid_request", "client_assertion: is required");
    }
    // RFC 7521 §4.2: client_id is optional; when given it must name the assertion's subject.
    const subject = assertionSubject(assertion);
    if (params.client_id !== undefined && subject !== undefined && params.client_id !== subject) {
      throw failure();
    }
    const client = await clientOf(request, params.client_id ?? subject);
    if (!client || client.metadata.token_endpoint_auth_method !== "private_key_jwt")
      throw failure();
    // The tenant's issuer ends in a slash (`<publicUrl>/`, as Auth0's); its token endpoint is
    // still `<publicUrl>/oauth/token`.
    const base = request.issuer.replace(/\/$/, "");
    const tokenEndpoint = `${base}/oauth/token`;
    await verifyClientAssertion(context, client, assertion, [
      ...new Set([tokenEndpoint, request.issuer, base]),
    ]);
    return { client, method: "private_key_jwt" };
  }

  if (basic || params.client_secret !== undefined) {
    const presented = basic ? "client_secret_basic" : "client_secret_post";
    const { id, secret } =
      basic ??
      ({ id: params.client_id, secret: params.client_secret } as Partial<BasicCredentials>);
    if (id === undefined || secret === undefined) throw failure();
    const found = await clientOf(request, id);
    const client = verifyClientSecret(found, secret, failure);
    if (!secretMethodAllowed(client.metadata.token_endpoint_auth_method, presented))
      throw failure();
    return { client, method: presented };
  }

  // No credentials: only a public client (method none) may be identified by client_id alone.
  const client = await clientOf(request, params.client_id);
  if (!client || client.metadata.token_endpoint_auth_method !== "none") throw failure();
  return { client, method: "none" };
}

async function clientOf(
  request: ClientAuthenticationRequest,
  clientId: string | undefined,
): Promise<ClientRecord | undefined> {
  if (clientId === undefined || clientId.length > 256) return undefined;
  const client = request.lookUpClient
    ? await request.lookUpClient(clientId)
    : await request.context.store.getClientByClientId(clientId);
  if (client === undefined) return undefined;
  return request.providerId === undefined || client.providerId === request.providerId
    ? client
    : undefined;
}
