import { z } from "zod";
import { resourceIdSchema, strictText, timestampSchema } from "./common";

/** JWS algorithms a provider can sign with. RS256 is what every OIDC relying party accepts. */
export const signingAlgorithmSchema = z.enum(["RS256", "ES256"]);
export type SigningAlgorithm = z.infer<typeof signingAlgorithmSchema>;

// Limits and messages follow the useGrant SDK's validation, so errors read the same everywhere.
export const providerNameSchema = strictText(
  z
    .string()
    .min(3, "Name must be at least 3 characters long")
    .max(50, "Name must be less than 50 characters long"),
);

export const providerDescriptionSchema = strictText(
  z
    .string()
    .min(1, "Description is required")
    .max(100, "Description must be less than 100 characters long"),
);

/** `POST /v1/providers` body. `signingAlgorithm` is a grant-server extension (default RS256). */
export const createProviderRequestSchema = z.strictObject({
  name: providerNameSchema,
  description: providerDescriptionSchema,
  signingAlgorithm: signingAlgorithmSchema.optional(),
});
export type CreateProviderRequest = z.infer<typeof createProviderRequestSchema>;

/**
 * A provider (an OIDC issuer). `issuer`, `discoveryUrl`, `jwksUri` and `signingAlgorithm` are
 * returned by the grant server; the hosted useGrant API does not document them, so they are optional.
 */
export const providerSchema = z.object({
  id: resourceIdSchema,
  name: z.string(),
  description: z.string(),
  issuer: z.string().optional(),
  discoveryUrl: z.string().optional(),
  jwksUri: z.string().optional(),
  signingAlgorithm: signingAlgorithmSchema.optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Provider = z.infer<typeof providerSchema>;

export const providerListSchema = z.array(providerSchema);

/** `POST /v1/providers/{providerId}/keys/rotate` body (grant-server extension). */
export const rotateSigningKeyRequestSchema = z.strictObject({
  algorithm: signingAlgorithmSchema.optional(),
});
export type RotateSigningKeyRequest = z.infer<typeof rotateSigningKeyRequestSchema>;

/**
 * A signing key's public facts. A `retiring` key no longer signs but stays in the JWKS until
 * `retiresAt`, when every token it signed has expired.
 */
export const signingKeySchema = z.object({
  kid: z.string(),
  algorithm: signingAlgorithmSchema,
  status: z.enum(["active", "retiring"]),
  createdAt: timestampSchema,
  retiresAt: timestampSchema.optional(),
});
export type SigningKey = z.infer<typeof signingKeySchema>;

export const signingKeyListSchema = z.array(signingKeySchema);
