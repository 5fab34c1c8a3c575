import type { z } from "zod";
import { resolveUseGrantSettings, settingsOrThrow } from "../provider/shared/api-settings";
import {
  accessTokenArgumentsSchema,
  mintAccessToken,
} from "../provider/shared/token-functions/access-token";
import type { AccessTokenArguments } from "../provider/shared/token-functions/access-token";
import {
  clientCredentialsArgumentsSchema,
  issuerOrTokenUrlProblem,
  secretOrPrivateKeyProblem,
  requestClientCredentialsToken,
} from "../provider/shared/token-functions/client-credentials-token";
import type { ClientCredentialsArguments } from "../provider/shared/token-functions/client-credentials-token";
import { accessTokenSchema } from "../provider/shared/token-functions/result";

/** One function of the native package, running the same code as the program-side function. */
export interface NativeFunction {
  readonly token: string;
  readonly description: string;
  readonly inputs: z.ZodObject;
  readonly outputs: z.ZodObject;
  /** A rule across arguments that the zod object cannot carry into Pulumi's schema. */
  crossFieldProblem?(
    args: Record<string, unknown>,
  ): { property: string; reason: string } | undefined;
  run(args: never): Promise<object>;
}

export const nativeFunctions: readonly NativeFunction[] = [
  {
    token: "grants:index:getAccessToken",
    description:
      "Mints a short-lived access token for a client through the useGrant API, with the " +
      "grants:apiUrl and grants:apiToken settings. Runs on every preview and up: never feed it " +
      "into a resource input.",
    inputs: accessTokenArgumentsSchema,
    outputs: accessTokenSchema,
    run: (args: AccessTokenArguments) =>
      mintAccessToken(settingsOrThrow(resolveUseGrantSettings()), args),
  },
  {
    token: "grants:index:getClientCredentialsToken",
    description:
      "Gets an access token with the OAuth 2.0 client credentials grant (RFC 6749 §4.4) from " +
      "any issuer. Give exactly one of issuer and tokenUrl, and one of clientSecret and privateKey.",
    inputs: clientCredentialsArgumentsSchema,
    outputs: accessTokenSchema,
    crossFieldProblem(args) {
      const reason = issuerOrTokenUrlProblem(args);
      if (reason !== undefined) return { property: "issuer", reason };
      const secretReason = secretOrPrivateKeyProblem(args);
      return secretReason === undefined
        ? undefined
        : { property: "clientSecret", reason: secretReason };
    },
    run: (args: ClientCredentialsArguments) => requestClientCredentialsToken(args),
  },
];
