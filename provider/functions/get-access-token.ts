import type * as pulumi from "@pulumi/pulumi";
import type { AccessToken } from "./access-token";
import type * as Call from "./get-access-token-call";

/** The arguments of {@link getAccessToken}. */
export interface GetAccessTokenArgs {
  /** The provider (issuer) id, e.g. `provider.id`. */
  readonly providerId: pulumi.Input<string>;
  /** The client id, e.g. `client.id`. */
  readonly clientId: pulumi.Input<string>;
  /** Lifetime in seconds, 1–172800 (48 hours). Default: the server's (3600 on the grant server). */
  readonly expiresInSeconds?: pulumi.Input<number>;
  /** JOSE header `typ: jwt` instead of `at+jwt` (Alibaba Cloud wants this). */
  readonly useJwtType?: pulumi.Input<boolean>;
  /** `aud` as a one-element array instead of a string. */
  readonly audienceAsArray?: pulumi.Input<boolean>;
  /** Use the provider's default domain as `iss` even when a custom domain is verified. */
  readonly forceDefaultDomain?: pulumi.Input<boolean>;
}

/**
 * Mints a short-lived access token for a client through the useGrant API
 * (`POST /v1/providers/{providerId}/clients/{clientId}/tokens`), with the `grants:apiUrl` and
 * `grants:apiToken` settings. The result is a secret Output; it is not stored in state unless
 * you export it (and then encrypted). It runs on every `up`, and on `preview` once its inputs are
 * known, so every run has a fresh token: never feed it into a resource input.
 *
 * @example
 * ```ts
 * const token = getAccessToken({ providerId: issuer.id, clientId: deployer.id, expiresInSeconds: 900 });
 * export const deployerToken = token.accessToken; // secret
 * ```
 */
export function getAccessToken(args: GetAccessTokenArgs): pulumi.Output<AccessToken> {
  // The sdk, zod and the token code load on the first call, not with the package: a program
  // that only declares resources would pay ~200 ms of module loading on every preview and up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { callGetAccessToken } = require("./get-access-token-call") as typeof Call;
  return callGetAccessToken(args);
}
