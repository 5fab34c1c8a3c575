import * as pulumi from "@pulumi/pulumi";
import {
  clientCredentialsArgumentsSchema as argumentsSchema,
  issuerOrTokenUrlProblem,
  secretOrPrivateKeyProblem,
  requestClientCredentialsToken,
} from "../shared/token-functions/client-credentials-token";
import type { AccessToken } from "./access-token";
import { checkPlainArguments, invalidArgument, parseArguments } from "./argument-check";
import { failureSentence } from "../shared/failure-message";
import type { GetClientCredentialsTokenArgs } from "./get-client-credentials-token";

const CALLER = "getClientCredentialsToken";

/** What {@link getClientCredentialsToken} runs, loaded on its first call. */
export function callGetClientCredentialsToken(
  args: GetClientCredentialsTokenArgs,
): pulumi.Output<AccessToken> {
  const problem = issuerOrTokenUrlProblem(args);
  if (problem !== undefined) throw invalidArgument(CALLER, "issuer", problem);
  const secretProblem = secretOrPrivateKeyProblem(args);
  if (secretProblem !== undefined) throw invalidArgument(CALLER, "clientSecret", secretProblem);
  checkPlainArguments(CALLER, argumentsSchema, { ...args });
  const token = pulumi.output(args).apply(async (resolved): Promise<AccessToken> => {
    try {
      const parsed = parseArguments(
        CALLER,
        argumentsSchema,
        Object.fromEntries(Object.entries(resolved).filter(([, v]) => v !== undefined)),
      );
      return await requestClientCredentialsToken(parsed);
    } catch (error) {
      // RunError: Pulumi prints its message alone, not "unhandled exception" and a trace.
      throw new pulumi.RunError(failureSentence(CALLER, "call", "token-endpoint", error));
    }
  });
  return pulumi.secret(token) as pulumi.Output<AccessToken>;
}
