// OAuth 2.0 client credentials, OpenID discovery and JWKS: the calls that need no management
// token, so they work against any standard issuer (the grant server, useGrant, Auth0, ...).
import {
  assertNonEmptyString,
  assertOptionalObject,
  invalidArgument,
  parseArgument,
  parseBaseUrl,
} from "./arguments";
import { createCallContext } from "./context";
import type { TransportOptions } from "./context";
import {
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
  parseClientAssertionKey,
  signClientAssertion,
} from "./client-assertion";
import type { ClientAssertionAlgorithm, ClientAssertionKey } from "./client-assertion";
import { oidcEndpoints } from "./endpoints/oidc";
import { GRANTS_INVALID_RESPONSE, GrantsError } from "./errors";
import { baseHeaders, joinUrl, prepareJsonCall } from "./prepare";
import { perform, resolveRequestOptions } from "./request";
import type { CallContext, RequestOptions } from "./request-options";
import type { DiscoveryDocument, Jwks, TokenResponse } from "./wire-types";

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2). */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";

/** Parameters of {@link OAuthApi.clientCredentials}. Give exactly one of `tokenUrl` and `issuer`. */
export interface ClientCredentialsParams {
  /** The token endpoint itself, e.g. `https://tenant.auth0.com/oauth/token`. */
  readonly tokenUrl?: string;
  /**
   * The issuer; its discovery document's `token_endpoint` is used, or `<issuer>/oauth/token`
   * when the document names none.
   */
  readonly issuer?: string;
  readonly clientId: string;
  /**
   * Sent to the token endpoint only; never part of an error or a log line. Give this or
   * `privateKey`.
   */
  readonly clientSecret?: string;
  /**
   * For `private_key_jwt`: the client's private key, a PEM or a private JWK (object or JSON
   * text). It signs a 60-second assertion per request and is never sent, logged or quoted.
   */
  readonly privateKey?: string | Readonly<Record<string, unknown>>;
  /** The assertion's `alg`; defaults from the JWK's `alg` or the key type (RSA → RS256, P-256 → ES256). */
  readonly privateKeyAlgorithm?: ClientAssertionAlgorithm;
  /** The assertion's `kid`; defaults to the JWK's `kid`. */
  readonly privateKeyId?: string;
  /** The API the token is for (the `aud` claim). */
  readonly audience: string;
  /** Scopes to request: a space-delimited string or a list. Absent means the grant's scopes. */
  readonly scope?: string | readonly string[];
  /**
   * `client_secret_basic` (HTTP Basic, which every server must support), `client_secret_post`,
   * or `private_key_jwt` (with `privateKey`).
   * @default "private_key_jwt" with `privateKey`, else "client_secret_basic"
   */
  readonly authMethod?: ClientAuthMethod;
}

/** OAuth 2.0 token requests. */
export interface OAuthApi {
  /**
   * Requests an access token with `grant_type=client_credentials` (RFC 6749 §4.4). Token
   * requests change nothing on the server, so they are retried like reads.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
   */
  clientCredentials(
    params: ClientCredentialsParams,
    options?: RequestOptions,
  ): Promise<TokenResponse>;
}

/** OpenID Connect discovery. */
export interface DiscoveryApi {
  /**
   * Fetches `<issuer>/.well-known/openid-configuration` and checks that the document names the
   * same issuer (OpenID Connect Discovery §4.3), so a token is never requested from a look-alike.
   * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
   */
  get(issuer: string, options?: RequestOptions): Promise<DiscoveryDocument>;
}

/** JSON Web Key Sets. */
export interface JwksApi {
  /**
   * Fetches a JWK Set (RFC 7517 §5), e.g. from a discovery document's `jwks_uri`.
   * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
   */
  get(jwksUri: string, options?: RequestOptions): Promise<Jwks>;
}

/** The groups of calls that work with any standard issuer. */
export interface OidcApis {
  readonly oauth: OAuthApi;
  readonly discovery: DiscoveryApi;
  readonly jwks: JwksApi;
}

/** A client for OAuth/OIDC endpoints only, made by {@link createOidcClient}. */
export interface OidcClient extends OidcApis {
  /** Closes the client's own connections; a dispatcher passed in options is left open. */
  close(): Promise<void>;
}

/** Options of {@link createOidcClient}. */
export type OidcClientOptions = TransportOptions;

const stripTrailingSlashes = (value: string) => value.replace(/\/+$/, "");

// RFC 6749 §2.3.1: the id and secret are form-urlencoded before they are joined for Basic.
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

function scopeString(scope: unknown): string | undefined {
  if (scope === undefined) return undefined;
  if (typeof scope === "string") return scope === "" ? undefined : scope;
  if (!Array.isArray(scope)) {
    throw invalidArgument(
      "ERR_INVALID_ARG_TYPE",
      `"params.scope" must be a string or an array of strings`,
    );
  }
  scope.forEach((item: unknown, index) => {
    assertNonEmptyString(item, `params.scope[${index}]`);
    if (/\s/.test(item)) {
      throw invalidArgument(
        "ERR_INVALID_ARG_VALUE",
        `"params.scope[${index}]" must not contain whitespace`,
      );
    }
  });
  return scope.length === 0 ? undefined : scope.join(" ");
}

/** Where to send the client's credentials, from the discovery document. @internal */
export function tokenEndpointOf(document: DiscoveryDocument, issuer: URL): URL {
  if (document.token_endpoint === undefined) return joinUrl(issuer, oidcEndpoints.token.path);
  const discoveryUrl = joinUrl(issuer, oidcEndpoints.discovery.path).href;
  let url: URL;
  try {
    url = new URL(document.token_endpoint);
  } catch {
    url = new URL("invalid:");
  }
  // The client secret goes to this URL: never over plain HTTP from an HTTPS issuer, never with
  // credentials of its own in it.
  const downgraded = issuer.protocol === "https:" && url.protocol !== "https:";
  if (
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    downgraded ||
    url.username !== ""
  ) {
    throw new GrantsError(
      `GET ${discoveryUrl} answered a token_endpoint that is not an ${issuer.protocol === "https:" ? "https" : "http(s)"} URL without credentials`,
      {
        code: GRANTS_INVALID_RESPONSE,
        method: "GET",
        url: discoveryUrl,
        status: 200,
      },
    );
  }
  return url;
}

/** Builds the OAuth, discovery and JWKS groups over a call context. @internal */
export function createOidcApis(context: CallContext): OidcApis {
  const discovery: DiscoveryApi = {
    async get(issuer, options) {
      const issuerUrl = parseBaseUrl(issuer, "issuer");
      const resolved = resolveRequestOptions(options, context);
      const call = prepareJsonCall(oidcEndpoints.discovery, { base: issuerUrl });
      const document = (await perform(context, call, resolved)) as DiscoveryDocument;
      let named: string;
      try {
        named = stripTrailingSlashes(new URL(document.issuer).href);
      } catch {
        named = document.issuer;
      }
      if (named !== stripTrailingSlashes(issuerUrl.href)) {
        throw new GrantsError(
          `GET ${call.url.href} answered a discovery document for another issuer`,
          { code: GRANTS_INVALID_RESPONSE, method: "GET", url: call.url.href, status: 200 },
        );
      }
      return document;
    },
  };

  const jwks: JwksApi = {
    async get(jwksUri, options) {
      assertNonEmptyString(jwksUri, "jwksUri");
      let url: URL;
      try {
        url = new URL(jwksUri);
      } catch {
        throw invalidArgument("ERR_INVALID_ARG_VALUE", `"jwksUri" must be an absolute http(s) URL`);
      }
      if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username !== "") {
        throw invalidArgument("ERR_INVALID_ARG_VALUE", `"jwksUri" must be an absolute http(s) URL`);
      }
      const resolved = resolveRequestOptions(options, context);
      const endpoint = oidcEndpoints.jwks;
      return (await perform(context, { endpoint, url, headers: baseHeaders() }, resolved)) as Jwks;
    },
  };

  const oauth: OAuthApi = {
    async clientCredentials(params, options) {
      assertOptionalObject(params, "params");
      if (params === undefined) {
        throw invalidArgument("ERR_INVALID_ARG_TYPE", `"params" must be an object`);
      }
      const p = params as unknown as Record<string, unknown>;
      if ((p.tokenUrl === undefined) === (p.issuer === undefined)) {
        throw invalidArgument(
          "ERR_INVALID_ARG_VALUE",
          `exactly one of "params.tokenUrl" and "params.issuer" must be given`,
        );
      }
      const tokenUrl =
        p.tokenUrl === undefined ? undefined : parseBaseUrl(p.tokenUrl, "params.tokenUrl");
      const issuer = p.issuer === undefined ? undefined : parseBaseUrl(p.issuer, "params.issuer");
      assertNonEmptyString(p.clientId, "params.clientId");
      assertNonEmptyString(p.audience, "params.audience");
      const scope = scopeString(p.scope);
      const authMethod =
        p.authMethod ?? (p.privateKey === undefined ? "client_secret_basic" : "private_key_jwt");
      if (
        authMethod !== "client_secret_basic" &&
        authMethod !== "client_secret_post" &&
        authMethod !== "private_key_jwt"
      ) {
        throw invalidArgument(
          "ERR_INVALID_ARG_VALUE",
          `"params.authMethod" must be "client_secret_basic", "client_secret_post" or "private_key_jwt"`,
        );
      }
      let assertionKey: ClientAssertionKey | undefined;
      if (authMethod === "private_key_jwt") {
        if (p.clientSecret !== undefined) {
          throw invalidArgument(
            "ERR_INVALID_ARG_VALUE",
            `"params.clientSecret" must not be given with private_key_jwt (one method per request)`,
          );
        }
        assertionKey = parseClientAssertionKey(
          p.privateKey,
          { algorithm: p.privateKeyAlgorithm, keyId: p.privateKeyId },
          "params.privateKey",
        );
      } else {
        assertNonEmptyString(p.clientSecret, "params.clientSecret");
        if (p.privateKey !== undefined) {
          throw invalidArgument(
            "ERR_INVALID_ARG_VALUE",
            `"params.privateKey" needs "params.authMethod" private_key_jwt`,
          );
        }
      }
      const resolved = resolveRequestOptions(options, context);

      let url: URL;
      if (tokenUrl !== undefined) {
        url = tokenUrl;
      } else {
        const document = await discovery.get((issuer as URL).href, resolved);
        url = tokenEndpointOf(document, issuer as URL);
      }

      const form: Record<string, string> = { grant_type: "client_credentials" };
      const headers = {
        ...baseHeaders(),
        "content-type": "application/x-www-form-urlencoded",
      } as Record<string, string>;
      if (assertionKey !== undefined) {
        form.client_id = p.clientId;
        form.client_assertion_type = JWT_BEARER_CLIENT_ASSERTION_TYPE;
        // RFC 7523 §3: the audience is the token endpoint the assertion is sent to.
        form.client_assertion = await signClientAssertion(assertionKey, p.clientId, url.href);
      } else if (authMethod === "client_secret_post") {
        form.client_id = p.clientId;
        form.client_secret = p.clientSecret as string;
      } else {
        const credentials = `${formEncode(p.clientId)}:${formEncode(p.clientSecret as string)}`;
        headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
      }
      form.audience = p.audience;
      if (scope !== undefined) form.scope = scope;
      // The contract's schema backs up the checks above; its paths name form fields.
      parseArgument(oidcEndpoints.token.body, form, "params");
      const body = new URLSearchParams(form).toString();
      // An assertion's jti is single-use: a blind resend after a lost answer would be refused
      // as a replay, so only secret requests are repeated like reads.
      return (await perform(
        context,
        {
          endpoint: oidcEndpoints.token,
          url,
          headers,
          body,
          safeToRepeat: assertionKey === undefined,
        },
        resolved,
      )) as TokenResponse;
    },
  };

  return { oauth, discovery, jwks };
}

/**
 * Creates a client for the OAuth 2.0 and OpenID Connect endpoints of any issuer: token
 * requests with client credentials, discovery documents and JWK Sets. It needs no management
 * token; use {@link createGrantsClient} to manage providers, clients and grants.
 *
 * @example
 * ```ts
 * const oidc = createOidcClient({ timeoutMs: 10_000 });
 * try {
 *   const token = await oidc.oauth.clientCredentials({
 *     issuer: "https://my-tenant.auth0.com/",
 *     clientId,
 *     clientSecret,
 *     audience: "https://api.example.com",
 *     scope: ["read:reports"],
 *   });
 *   console.log(token.expires_in);
 * } finally {
 *   await oidc.close();
 * }
 * ```
 */
export function createOidcClient(options: OidcClientOptions = {}): OidcClient {
  const context = createCallContext(options, "options");
  return { ...createOidcApis(context), close: () => context.dispatcher.close() };
}
