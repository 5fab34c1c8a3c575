import { z } from "zod";
import { createGrantsClient } from "../../../sdk/index";
import { resourceIdSchema } from "../../../sdk/schemas/common";
import { tokenLifetimeSchema } from "../../../sdk/schemas/token";
import type { AccessToken } from "../../functions/access-token";
import { accessTokenSchema } from "./result";

/**
 * The arguments of `getAccessToken`, for both front doors: the program-side function
 * (provider/functions) and the `grants:index:getAccessToken` invoke of the native plugin.
 */
export const accessTokenArgumentsSchema = z.strictObject({
  providerId: resourceIdSchema,
  clientId: resourceIdSchema,
  expiresInSeconds: tokenLifetimeSchema.optional(),
  useJwtType: z.boolean().optional(),
  audienceAsArray: z.boolean().optional(),
  forceDefaultDomain: z.boolean().optional(),
});
export type AccessTokenArguments = z.infer<typeof accessTokenArgumentsSchema>;

export { accessTokenSchema };

/** Mints a token through the useGrant API (`POST /v1/providers/{p}/clients/{c}/tokens`). */
export async function mintAccessToken(
  settings: { readonly apiUrl: string; readonly apiToken: string },
  args: AccessTokenArguments,
): Promise<AccessToken> {
  const client = createGrantsClient({ apiUrl: settings.apiUrl, apiToken: settings.apiToken });
  try {
    const minted = await client.tokens.create(args.providerId, args.clientId, {
      ...(args.expiresInSeconds === undefined ? {} : { expiresIn: args.expiresInSeconds }),
      ...(args.useJwtType === undefined ? {} : { useJwtType: args.useJwtType }),
      ...(args.audienceAsArray === undefined ? {} : { audienceAsArray: args.audienceAsArray }),
      ...(args.forceDefaultDomain === undefined
        ? {}
        : { forceDefaultDomain: args.forceDefaultDomain }),
    });
    return { accessToken: minted.accessToken, expiresAt: minted.expiresAt, tokenType: minted.type };
  } finally {
    await client.close();
  }
}
