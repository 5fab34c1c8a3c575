import { z } from "zod";

/** 48 hours: the longest lifetime the useGrant API allows for a minted token. */
export const MAX_TOKEN_LIFETIME_SECONDS = 172_800;
/** The lifetime used when `expiresIn` is absent (the useGrant docs leave it unspecified). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3_600;

export const tokenLifetimeSchema = z
  .number()
  .int("expiresIn must be a whole number of seconds")
  .min(1, "expiresIn must be at least 1 second")
  .max(MAX_TOKEN_LIFETIME_SECONDS, "expiresIn cannot be more than 48 hours (172800 seconds)");

/** `POST /v1/providers/{providerId}/clients/{clientId}/tokens` body; every field optional. */
export const createTokenRequestSchema = z.strictObject({
  expiresIn: tokenLifetimeSchema.optional(),
  useJwtType: z.boolean().optional(),
  audienceAsArray: z.boolean().optional(),
  forceDefaultDomain: z.boolean().optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenRequestSchema>;

export const tokenSchema = z.object({
  accessToken: z.string().min(1),
  expiresAt: z.string().min(1),
  type: z.literal("Bearer"),
});
export type Token = z.infer<typeof tokenSchema>;
