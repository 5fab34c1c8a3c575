import * as pulumi from "@pulumi/pulumi";
import {
  accessTokenArgumentsSchema as argumentsSchema,
  mintAccessToken,
} from "../shared/token-functions/access-token";
import type { AccessToken } from "./access-token";
import { checkPlainArguments, parseArguments } from "./argument-check";
import { failureSentence } from "../shared/failure-message";
import { programUseGrantSettings } from "./program-settings";
import type { GetAccessTokenArgs } from "./get-access-token";

const CALLER = "getAccessToken";

/** What {@link getAccessToken} runs, loaded on its first call. */
export function callGetAccessToken(args: GetAccessTokenArgs): pulumi.Output<AccessToken> {
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
