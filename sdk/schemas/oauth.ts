import { z } from "zod";
import { MAX_IDENTIFIER_LENGTH, identifierSchema, strictText } from "./common";

/**
 * `POST <issuer>/oauth/token` parameters for `grant_type=client_credentials` (RFC 6749 §4.4).
 * Unknown parameters are ignored, as §3.2 requires. Client credentials may instead arrive in
 * the `Authorization: Basic` header (client_secret_basic, §2.3.1).
 */
export const clientCredentialsRequestSchema = z.object({
  grant_type: z.literal("client_credentials"),
  client_id: identifierSchema("client_id").optional(),
  client_secret: identifierSchema("client_secret").optional(),
  // RFC 7523 §2.2: private_key_jwt client authentication.
  client_assertion_type: identifierSchema("client_assertion_type").optional(),
  client_assertion: strictText(z.string().min(1).max(16384)).optional(),
  audience: strictText(
    z
      .string()
      .min(1, "audience is required")
      .max(MAX_IDENTIFIER_LENGTH, `audience must be at most ${MAX_IDENTIFIER_LENGTH} characters`),
  ),
  scope: strictText(z.string().max(MAX_IDENTIFIER_LENGTH * 4)).optional(),
});
export type ClientCredentialsRequest = z.infer<typeof clientCredentialsRequestSchema>;

/** Successful token response (RFC 6749 §5.1). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, "token_type must be Bearer"),
  // RECOMMENDED, not required (RFC 6749 §5.1): some issuers leave it out.
  expires_in: z.number().int().positive().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Error codes of RFC 6749 §5.2. */
export const oauthErrorCodeSchema = z.enum([
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "access_denied",
  "server_error",
  "temporarily_unavailable",
]);
export type OAuthErrorCode = z.infer<typeof oauthErrorCodeSchema>;

/** Error response (RFC 6749 §5.2); receivers tolerate codes outside the RFC list. */
export const oauthErrorSchema = z.object({
  error: z.string().min(1),
  error_description: z.string().optional(),
  error_uri: z.string().optional(),
});
export type OAuthError = z.infer<typeof oauthErrorSchema>;

/** `GET <issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §3). */
export const discoveryDocumentSchema = z.object({
  issuer: z.string().min(1),
  jwks_uri: z.string().min(1),
  token_endpoint: z.string().optional(),
  grant_types_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional(),
  subject_types_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  claims_supported: z.array(z.string()).optional(),
  scopes_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof discoveryDocumentSchema>;

/** One public key of a JWK Set (RFC 7517 §4); key-type members are kept as sent. */
export const jwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.string().optional(),
  use: z.string().optional(),
  alg: z.string().optional(),
});
export type Jwk = z.infer<typeof jwkSchema>;

/** `GET <issuer>/.well-known/jwks` (RFC 7517 §5). */
export const jwksSchema = z.object({ keys: z.array(jwkSchema) });
export type Jwks = z.infer<typeof jwksSchema>;
