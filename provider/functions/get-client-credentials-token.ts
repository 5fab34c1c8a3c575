import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { createOidcClient } from "../../sdk/index";
import { scopeSchema } from "../../sdk/schemas/client-grant";
import type { AccessToken } from "./access-token";
import { checkPlainArguments, invalidArgument, parseArguments } from "./argument-check";

const CALLER = "getClientCredentialsToken";

const httpUrlSchema = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    "must be an http(s) URL",
  );

const argumentsSchema = z.strictObject({
  issuer: httpUrlSchema.optional(),
  tokenUrl: httpUrlSchema.optional(),
  clientId: z.string().min(1, "must not be empty"),
  clientSecret: z.string().min(1, "must not be empty").optional(),
  privateKey: z
    .union([z.string().min(1, "must not be empty"), z.record(z.string(), z.unknown())])
    .optional(),
  privateKeyId: z.string().min(1, "must not be empty").optional(),
  audience: z.string().min(1, "must not be empty"),
  scopes: z.array(scopeSchema).optional(),
});

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
 *   audience: "https://orders.example.com",
 *   scopes: ["read:orders"],
 * });
 * ```
 */
export function getClientCredentialsToken(
  args: GetClientCredentialsTokenArgs,
): pulumi.Output<AccessToken> {
  if ((args.issuer === undefined) === (args.tokenUrl === undefined)) {
    throw invalidArgument(CALLER, "issuer", "give exactly one of `issuer` and `tokenUrl`");
  }
  if ((args.clientSecret === undefined) === (args.privateKey === undefined)) {
    throw invalidArgument(
      CALLER,
      "clientSecret",
      "give exactly one of `clientSecret` and `privateKey`",
    );
  }
  checkPlainArguments(CALLER, argumentsSchema, { ...args });
  const token = pulumi.output(args).apply(async (resolved): Promise<AccessToken> => {
    const parsed = parseArguments(
      CALLER,
      argumentsSchema,
      Object.fromEntries(Object.entries(resolved).filter(([, v]) => v !== undefined)),
    );
    const oidc = createOidcClient({});
    try {
      const issuedAt = Date.now();
      const answer = await oidc.oauth.clientCredentials({
        ...(parsed.tokenUrl === undefined ? {} : { tokenUrl: parsed.tokenUrl }),
        ...(parsed.issuer === undefined ? {} : { issuer: parsed.issuer }),
        clientId: parsed.clientId,
        ...(parsed.privateKey === undefined
          ? { clientSecret: parsed.clientSecret }
          : {
              privateKey: parsed.privateKey,
              authMethod: "private_key_jwt" as const,
              ...(parsed.privateKeyId === undefined ? {} : { privateKeyId: parsed.privateKeyId }),
            }),
        audience: parsed.audience,
        ...(parsed.scopes === undefined ? {} : { scope: parsed.scopes.join(" ") }),
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
  });
  return pulumi.secret(token) as pulumi.Output<AccessToken>;
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
