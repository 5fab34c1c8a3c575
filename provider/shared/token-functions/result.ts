import { z } from "zod";
import type { AccessToken } from "../../functions/access-token";

/**
 * What both token functions return. The public `AccessToken` interface stays zod-free (it is part
 * of the package's published types); the assignments below keep the two identical.
 */
export const accessTokenSchema = z.object({
  accessToken: z.string().meta({ secret: true }),
  expiresAt: z.string().optional(),
  tokenType: z.string(),
  scopes: z.array(z.string()).optional(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof accessTokenSchema>, AccessToken> = true;
void sameShape;
