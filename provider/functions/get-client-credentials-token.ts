import type * as pulumi from "@pulumi/pulumi";
import type { AccessToken } from "./access-token";
import type * as Call from "./get-client-credentials-token-call";

/** The arguments of {@link getClientCredentialsToken}. Give `issuer` or `tokenUrl`, not both. */
export interface GetClientCredentialsTokenArgs {
  /** The issuer; its token endpoint is found through OIDC discovery. */
  readonly issuer?: pulumi.Input<string>;
  /** The token endpoint itself, e.g. `client.tokenEndpoint`. */
  readonly tokenUrl?: pulumi.Input<string>;
  /** The OAuth client id (for clients of this package: `client.id`). */
  readonly clientId: pulumi.Input<string>;
  /** The client secret, e.g. `client.clientSecret` (a secret Output). Give this or `privateKey`. */
  readonly clientSecret?: pulumi.Input<string>;
  /**
   * For `private_key_jwt` clients: the private key (a PEM, or a private JWK as object or JSON
   * text), e.g. `config.requireSecret("clientKey")`. It signs a short assertion per request
   * and is never sent, stored or logged.
   */
  readonly privateKey?: pulumi.Input<string | Record<string, unknown>>;
  /** The `kid` of the assertion; defaults to the JWK's `kid`. */
  readonly privateKeyId?: pulumi.Input<string>;
  /** The API to get a token for. */
  readonly audience: pulumi.Input<string>;
  /** Scopes to request; default: what the client grant allows. */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Gets an access token with the standard OAuth 2.0 client credentials grant (RFC 6749 §4.4)
 * from any issuer: this grant server, Auth0, or another OIDC provider. Needs no management
 * credentials. The result is a secret Output, not stored in state unless exported.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @example
 * ```ts
 * const token = getClientCredentialsToken({
 *   tokenUrl: deployer.tokenEndpoint,
 *   clientId: deployer.id,
 *   clientSecret: deployer.clientSecret,
 *   // The grant's own output, so the token is asked for only once the grant exists.
 *   audience: ordersGrant.audience,
 *   scopes: ["read:orders"],
 * });
 * ```
 */
export function getClientCredentialsToken(
  args: GetClientCredentialsTokenArgs,
): pulumi.Output<AccessToken> {
  // The sdk, zod and the token code load on the first call, not with the package: a program
  // that only declares resources would pay ~200 ms of module loading on every preview and up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const call = require("./get-client-credentials-token-call") as typeof Call;
  return call.callGetClientCredentialsToken(args);
}
