import * as pulumi from "@pulumi/pulumi";
import {
  accessTokenArgumentsSchema as argumentsSchema,
  mintAccessToken,
} from "../shared/token-functions/access-token";
import type { AccessToken } from "./access-token";
import { checkPlainArguments, parseArguments } from "./argument-check";
import { failureSentence } from "../shared/failure-message";
import { programUseGrantSettings } from "./program-settings";

const CALLER = "getAccessToken";

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
  checkPlainArguments(CALLER, argumentsSchema, { ...args });
  const settings = programUseGrantSettings(CALLER);
  const token = pulumi
    .all([pulumi.output(args), settings.apiToken])
    .apply(async ([resolved, apiToken]): Promise<AccessToken> => {
      try {
        const parsed = parseArguments(CALLER, argumentsSchema, dropUndefined(resolved));
        return await mintAccessToken({ apiUrl: settings.apiUrl, apiToken }, parsed);
      } catch (error) {
        // RunError: Pulumi prints its message alone, not "unhandled exception" and a trace.
        throw new pulumi.RunError(failureSentence(CALLER, "call", "usegrant", error));
      }
    });
  return pulumi.secret(token) as pulumi.Output<AccessToken>;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
