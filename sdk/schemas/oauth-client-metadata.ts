import { createPublicKey } from "node:crypto";
import type { JsonWebKey } from "node:crypto";
import { z } from "zod";
import { SCOPE_TOKEN_PATTERN } from "./client-grant";

// The OAuth metadata every client of the grant server carries, whichever API created it (issue
// #10). Field names are those of RFC 7591 / OpenID Connect Dynamic Client Registration, which
// nevisMeta's OAuthV2ClientType (seed 002) uses; the Auth0 dialect maps onto the same fields.

/** Grant types a client may be registered with (RFC 7591 §2, plus the registered URNs). */
export const grantTypeSchema = z.enum([
  "authorization_code",
  "implicit",
  "refresh_token",
  "client_credentials",
  "password",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:saml2-bearer",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:token-exchange",
  "urn:openid:params:grant-type:ciba",
]);
export type GrantType = z.infer<typeof grantTypeSchema>;

/** OAuth 2.0 Multiple Response Type Encoding Practices §5, and `none`. */
export const responseTypeSchema = z.enum([
  "code",
  "token",
  "id_token",
  "code id_token",
  "code token",
  "id_token token",
  "code id_token token",
  "none",
]);

/** How a client authenticates at the token endpoint (RFC 7591 §2, RFC 7523 §2.2). */
export const tokenEndpointAuthMethodSchema = z.enum([
  "client_secret_basic",
  "client_secret_post",
  "private_key_jwt",
  "none",
]);
export type TokenEndpointAuthMethod = z.infer<typeof tokenEndpointAuthMethodSchema>;

export const confidentialityTypeSchema = z.enum(["public", "confidential"]);

/** nevisMeta's PKCE modes (RFC 7636): allowed, required, or required with S256 only. */
export const pkceModeSchema = z.enum(["allowed", "required", "S256-required"]);

export const idTokenSignedResponseAlgSchema = z.enum([
  "RS256",
  "RS384",
  "RS512",
  "ES256",
  "ES256K",
  "ES384",
  "ES512",
]);
export const idTokenEncryptedResponseAlgSchema = z.enum([
  "RSA1_5",
  "RSA-OAEP",
  "RSA-OAEP-256",
  "ECDH-ES",
  "ECDH-ES+A128KW",
  "ECDH-ES+A192KW",
  "ECDH-ES+A256KW",
]);
export const idTokenEncryptedResponseEncSchema = z.enum([
  "A128CBC-HS256",
  "A192CBC-HS384",
  "A256CBC-HS512",
  "A128GCM",
  "A192GCM",
  "A256GCM",
]);

/** The algorithms a `private_key_jwt` client assertion may be signed with (asymmetric only). */
export const CLIENT_ASSERTION_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;

/** Ten years: a bound on every lifetime, so arithmetic on them can never overflow a date. */
export const MAX_TTL_SECONDS = 315_360_000;

function ttlSchema(min: 0 | 1) {
  return z
    .number()
    .int("must be a whole number of seconds")
    .min(min, min === 0 ? "must not be negative" : "must be at least 1 second")
    .max(MAX_TTL_SECONDS, `must be at most ${MAX_TTL_SECONDS} seconds (ten years)`);
}

function absoluteUrl(value: string, schemes: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return schemes.length === 0 || schemes.includes(url.protocol);
  } catch {
    return false;
  }
}

/** An absolute http(s) URL, at most 2048 characters. */
export const webUriSchema = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .refine((value) => absoluteUrl(value, ["http:", "https:"]), "must be an absolute http(s) URL");

/** RFC 6749 §3.1.2: an absolute URI without a fragment (custom schemes serve native apps). */
export const redirectUriSchema = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .refine(
    (value) => absoluteUrl(value, []) && !value.includes("#"),
    "must be an absolute URI without a fragment",
  );

/** A BCP 47 language tag, e.g. `de` or `en-GB`. */
export const localeSchema = z
  .string()
  .max(35, "must be at most 35 characters")
  .refine((value) => {
    try {
      return Intl.getCanonicalLocales(value).length === 1;
    } catch {
      return false;
    }
  }, "must be a BCP 47 language tag such as en or de-CH");

/** One localized metadata entry of nevisMeta (`client_name`, `logo_uri`, … with a locale). */
export const clientMetadataEntrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1–64 letters, digits, `_`, `.` or `-`"),
  locale: localeSchema.optional(),
  value: z.string().max(2048, "must be at most 2048 characters"),
});

// RFC 7517 §6.2.2, §6.3.2 and §6.4: members that only a private or symmetric key has.
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** A public key of a client's JWK Set (RFC 7517 §4). Private members are refused. */
export const publicJwkSchema = z
  .looseObject({
    kty: z.enum(["RSA", "EC", "OKP"], "must be RSA, EC or OKP (public-key types only)"),
    kid: z.string().min(1).max(256).optional(),
    use: z.literal("sig", "must be sig: client keys sign assertions").optional(),
    alg: z.enum(CLIENT_ASSERTION_ALGORITHMS).optional(),
  })
  .superRefine((jwk, context) => {
    for (const member of PRIVATE_JWK_MEMBERS) {
      if (member in jwk) {
        context.addIssue({
          code: "custom",
          path: [member],
          message: "is a private key member; register only the public key",
        });
      }
    }
    if (context.issues.length > 0) return;
    try {
      createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    } catch {
      context.addIssue({ code: "custom", message: "is not a valid public key" });
    }
  });

/** A client's registered keys: a JWK Set of 1–10 public keys. */
export const clientJwksSchema = z.strictObject({
  keys: z
    .array(publicJwkSchema)
    .min(1, "must hold at least one key")
    .max(10, "must hold at most 10 keys"),
});
export type ClientJwks = z.infer<typeof clientJwksSchema>;

const shortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/**
 * The OAuth metadata fields as a caller sends them: every one optional, unknown ones refused.
 * nevisMeta's camelCase `notSentGrantType` is kept as it is spelled there.
 */
export const oauthClientMetadataFields = {
  redirect_uris: z.array(redirectUriSchema).max(50, "must hold at most 50 URIs").optional(),
  grant_types: z.array(grantTypeSchema).max(10).optional(),
  response_types: z.array(responseTypeSchema).max(8).optional(),
  token_endpoint_auth_method: tokenEndpointAuthMethodSchema.optional(),
  jwks: clientJwksSchema.optional(),
  jwks_uri: webUriSchema.optional(),
  access_token_ttl: ttlSchema(1).optional(),
  refresh_token_ttl: ttlSchema(0).optional(),
  id_token_ttl: ttlSchema(1).optional(),
  persisted_consent_ttl: ttlSchema(0).optional(),
  /** The scopes the client may ever obtain; absent means no bound beyond its client grants. */
  scopes: z
    .array(
      z
        .string()
        .min(1, "must not be empty")
        .max(280, "must be at most 280 characters")
        .regex(SCOPE_TOKEN_PATTERN, "must be an RFC 6749 §3.3 scope token"),
    )
    .max(100, "must hold at most 100 scopes")
    .optional(),
  confidentiality_type: confidentialityTypeSchema.optional(),
  pkce_mode: pkceModeSchema.optional(),
  valid_from: z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time" }).optional(),
  owner: shortText(255).optional(),
  comment: shortText(2000).optional(),
  contacts: z.array(shortText(320).min(1)).max(20, "must hold at most 20 contacts").optional(),
  client_uri: webUriSchema.optional(),
  logo_uri: webUriSchema.optional(),
  policy_uri: webUriSchema.optional(),
  tos_uri: webUriSchema.optional(),
  metadata: z.array(clientMetadataEntrySchema).max(100, "must hold at most 100 entries").optional(),
  id_token_signed_response_alg: idTokenSignedResponseAlgSchema.optional(),
  id_token_encrypted_response_alg: idTokenEncryptedResponseAlgSchema.optional(),
  id_token_encrypted_response_enc: idTokenEncryptedResponseEncSchema.optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  force_reauthentication: z.boolean().optional(),
  notSentGrantType: z.boolean().optional(),
};

/**
 * nevisMeta's setup defaults (reference usegrant-api.md §9: `client_defaults`) and the
 * registration defaults of RFC 7591 §2 for the rest.
 */
export const NEVISMETA_CLIENT_DEFAULTS = {
  redirect_uris: [],
  grant_types: [],
  response_types: [],
  access_token_ttl: 3600,
  refresh_token_ttl: 15_552_000,
  id_token_ttl: 3600,
  persisted_consent_ttl: 31_104_000,
  metadata: [],
  contacts: [],
  id_token_signed_response_alg: "RS256",
  require_pushed_authorization_requests: false,
  force_reauthentication: false,
  notSentGrantType: false,
} as const;

/**
 * The stored, complete metadata of a client: defaults filled in, cross-field rules checked.
 * Optional fields stay absent when never set.
 */
export const oauthClientMetadataSchema = z.object({
  redirect_uris: z.array(z.string()),
  grant_types: z.array(grantTypeSchema),
  response_types: z.array(responseTypeSchema),
  token_endpoint_auth_method: tokenEndpointAuthMethodSchema,
  // Checked at registration; reading it back must not re-import every key on each request.
  jwks: z.object({ keys: z.array(z.looseObject({ kty: z.string() })) }).optional(),
  jwks_uri: z.string().optional(),
  access_token_ttl: z.number().int(),
  refresh_token_ttl: z.number().int(),
  id_token_ttl: z.number().int(),
  persisted_consent_ttl: z.number().int(),
  scopes: z.array(z.string()).optional(),
  confidentiality_type: confidentialityTypeSchema,
  pkce_mode: pkceModeSchema.optional(),
  valid_from: z.string().optional(),
  owner: z.string().optional(),
  comment: z.string().optional(),
  contacts: z.array(z.string()),
  client_uri: z.string().optional(),
  logo_uri: z.string().optional(),
  policy_uri: z.string().optional(),
  tos_uri: z.string().optional(),
  metadata: z.array(
    z.object({ name: z.string(), locale: z.string().optional(), value: z.string() }),
  ),
  id_token_signed_response_alg: idTokenSignedResponseAlgSchema,
  id_token_encrypted_response_alg: idTokenEncryptedResponseAlgSchema.optional(),
  id_token_encrypted_response_enc: idTokenEncryptedResponseEncSchema.optional(),
  require_pushed_authorization_requests: z.boolean(),
  force_reauthentication: z.boolean(),
  notSentGrantType: z.boolean(),
  /**
   * Auth0's `app_type` and `is_first_party`, kept for the Auth0 dialect (`/api/v2/clients`);
   * absent on clients made through the other dialects.
   */
  app_type: z.string().optional(),
  is_first_party: z.boolean().optional(),
});
export type OAuthClientMetadata = z.infer<typeof oauthClientMetadataSchema>;

/** The metadata fields as sent, before defaults. */
export type OAuthClientMetadataInput = {
  [K in keyof typeof oauthClientMetadataFields]?: z.output<(typeof oauthClientMetadataFields)[K]>;
};

/**
 * The profile of a client created through the useGrant dialect (and of every client stored
 * before migration 3): client_credentials with a shared secret, one-hour tokens. Its method is
 * `client_secret_post` because such clients have always been allowed to send the secret in the
 * body; HTTP Basic works for every secret client (RFC 6749 §2.3.1).
 */
export const USEGRANT_CLIENT_METADATA: OAuthClientMetadata = {
  ...NEVISMETA_CLIENT_DEFAULTS,
  redirect_uris: [],
  grant_types: ["client_credentials"],
  response_types: [],
  metadata: [],
  contacts: [],
  token_endpoint_auth_method: "client_secret_post",
  confidentiality_type: "confidential",
};

/**
 * The rules between metadata fields, as a zod refinement adding issues at the offending field.
 * The effective method and confidentiality are those {@link completeClientMetadata} derives.
 */
export function checkClientMetadataRules(
  input: OAuthClientMetadataInput,
  context: z.RefinementCtx,
): void {
  const { confidentiality, method } = effectiveAuthentication(input);
  if (confidentiality === "public" && method !== "none") {
    context.addIssue({
      code: "custom",
      path: ["token_endpoint_auth_method"],
      message: "must be none for a public client (confidentiality_type public)",
    });
  }
  if (confidentiality === "confidential" && method === "none") {
    context.addIssue({
      code: "custom",
      path: ["token_endpoint_auth_method"],
      message: "must not be none for a confidential client",
    });
  }
  if (input.jwks !== undefined && input.jwks_uri !== undefined) {
    context.addIssue({
      code: "custom",
      path: ["jwks_uri"],
      message: "must not be given together with jwks (RFC 7591 §2)",
    });
  }
  // The issuer verifies assertions against registered keys only; it never fetches a jwks_uri,
  // so a private_key_jwt client must carry its keys.
  if (method === "private_key_jwt" && input.jwks === undefined) {
    context.addIssue({
      code: "custom",
      path: ["jwks"],
      message: "is required when token_endpoint_auth_method is private_key_jwt",
    });
  }
  if (
    input.id_token_encrypted_response_enc !== undefined &&
    input.id_token_encrypted_response_alg === undefined
  ) {
    context.addIssue({
      code: "custom",
      path: ["id_token_encrypted_response_alg"],
      message: "is required when id_token_encrypted_response_enc is given",
    });
  }
}

// `confidentiality_type` and `token_endpoint_auth_method` default from each other: a public
// client authenticates with `none`, a confidential one with `client_secret_basic`.
function effectiveAuthentication(input: OAuthClientMetadataInput): {
  confidentiality: "public" | "confidential";
  method: TokenEndpointAuthMethod;
} {
  const confidentiality =
    input.confidentiality_type ??
    (input.token_endpoint_auth_method === "none" ? "public" : "confidential");
  const method =
    input.token_endpoint_auth_method ??
    (confidentiality === "public" ? "none" : "client_secret_basic");
  return { confidentiality, method };
}

/** The complete metadata of checked input: nevisMeta's defaults for every field not given. */
export function completeClientMetadata(input: OAuthClientMetadataInput): OAuthClientMetadata {
  const { confidentiality, method } = effectiveAuthentication(input);
  const metadata: OAuthClientMetadata = {
    ...NEVISMETA_CLIENT_DEFAULTS,
    redirect_uris: [],
    grant_types: [],
    response_types: [],
    metadata: [],
    contacts: [],
    confidentiality_type: confidentiality,
    token_endpoint_auth_method: method,
  };
  const record = metadata as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && !(key in AUTHENTICATION_KEYS)) record[key] = value;
  }
  return metadata;
}

const AUTHENTICATION_KEYS = { confidentiality_type: true, token_endpoint_auth_method: true };
