import { z } from "zod";
import { createOidcClient } from "../../../sdk/index";
import { scopeSchema } from "../../../sdk/schemas/client-grant";
import type { AccessToken } from "../../functions/access-token";

const httpUrlSchema = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    "must be an http(s) URL",
  );

/**
 * The arguments of `getClientCredentialsToken`, for both front doors (the program-side function
 * and the native plugin's invoke). Exactly one of `issuer` and `tokenUrl` is checked by callers
 * with {@link issuerOrTokenUrlProblem}, as JSON Schema cannot say it in Pulumi's schema.
 */
export const clientCredentialsArgumentsSchema = z.strictObject({
  issuer: httpUrlSchema.optional(),
  tokenUrl: httpUrlSchema.optional(),
  clientId: z.string().min(1, "must not be empty"),
  clientSecret: z.string().min(1, "must not be empty").meta({ secret: true }).optional(),
  privateKey: z
    .union([z.string().min(1, "must not be empty"), z.record(z.string(), z.unknown())])
    .meta({ secret: true })
    .optional(),
  privateKeyId: z.string().min(1, "must not be empty").optional(),
  audience: z.string().min(1, "must not be empty"),
  scopes: z.array(scopeSchema).optional(),
});
export type ClientCredentialsArguments = z.infer<typeof clientCredentialsArgumentsSchema>;

/** The reason when not exactly one of `issuer` and `tokenUrl` is given, else undefined. */
export function issuerOrTokenUrlProblem(args: {
  readonly issuer?: unknown;
  readonly tokenUrl?: unknown;
}): string | undefined {
  return (args.issuer === undefined) === (args.tokenUrl === undefined)
    ? "give exactly one of `issuer` and `tokenUrl`"
    : undefined;
}

/** The reason when not exactly one of `clientSecret` and `privateKey` is given, else undefined. */
export function secretOrPrivateKeyProblem(args: {
  readonly clientSecret?: unknown;
  readonly privateKey?: unknown;
}): string | undefined {
  return (args.clientSecret === undefined) === (args.privateKey === undefined)
    ? "give exactly one of `clientSecret` and `privateKey`"
    : undefined;
}

/** The OAuth 2.0 client credentials grant (RFC 6749 §4.4) against any issuer. */
export async function requestClientCredentialsToken(
  args: ClientCredentialsArguments,
): Promise<AccessToken> {
  const oidc = createOidcClient({});
  try {
    const issuedAt = Date.now();
    const answer = await oidc.oauth.clientCredentials({
      ...(args.tokenUrl === undefined ? {} : { tokenUrl: args.tokenUrl }),
      ...(args.issuer === undefined ? {} : { issuer: args.issuer }),
      clientId: args.clientId,
      ...(args.privateKey === undefined
        ? { clientSecret: args.clientSecret }
        : {
            privateKey: args.privateKey,
            authMethod: "private_key_jwt" as const,
            ...(args.privateKeyId === undefined ? {} : { privateKeyId: args.privateKeyId }),
          }),
      audience: args.audience,
      ...(args.scopes === undefined ? {} : { scope: args.scopes.join(" ") }),
    });
    const expiresAtMs =
      answer.expires_in === undefined
        ? jwtExpiryMs(answer.access_token)
        : issuedAt + answer.expires_in * 1000;
    const result: AccessToken = {
      accessToken: answer.access_token,
      tokenType: answer.token_type,
      ...(expiresAtMs === undefined ? {} : { expiresAt: new Date(expiresAtMs).toISOString() }),
    };
    const scopes = answer.scope?.split(" ").filter((scope) => scope !== "");
    return scopes === undefined ? result : { ...result, scopes };
  } finally {
    await oidc.close();
  }
}

/** The `exp` of a JWT access token in milliseconds, when the token is a JWT that has one. */
function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const exp: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).exp;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
