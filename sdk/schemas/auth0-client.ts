import { z } from "zod";
import { queryBooleanSchema, queryIntegerSchema, strictText } from "./common";
import { grantTypeSchema, MAX_TTL_SECONDS } from "./oauth-client-metadata";

// Auth0 Management API `/api/v2/clients` (reference auth0-client-grants.md §3), the fields a
// machine-to-machine application needs, with Auth0's names. The server maps them onto the one
// client model (./oauth-client-metadata); see docs/server.md for the mapping.

/** Auth0's `ClientAppTypeEnum`, the values an application of this server may carry. */
export const auth0AppTypeSchema = z.enum([
  "native",
  "spa",
  "regular_web",
  "non_interactive",
  "resource_server",
  "express_configuration",
  "b2b_integration",
  "sso_integration",
]);
export type Auth0AppType = z.infer<typeof auth0AppTypeSchema>;

/**
 * Auth0's `token_endpoint_auth_method`: a shared secret in the body or in HTTP Basic, or none
 * (a public client). `private_key_jwt` is chosen through `client_authentication_methods`.
 */
export const auth0TokenEndpointAuthMethodSchema = z.enum([
  "none",
  "client_secret_post",
  "client_secret_basic",
]);
export type Auth0TokenEndpointAuthMethod = z.infer<typeof auth0TokenEndpointAuthMethodSchema>;

/** The signing algorithms Auth0 accepts for a `private_key_jwt` credential. */
export const auth0CredentialAlgorithmSchema = z.enum(["RS256", "RS384", "PS256"]);

/**
 * A public key to register for `private_key_jwt`: a PEM (SPKI public key or X.509 certificate).
 * Auth0 gives each credential an id (`cred_…`); a PATCH names the ones to keep by that id.
 */
export const auth0NewCredentialSchema = z.strictObject({
  credential_type: z.literal("public_key", "must be public_key"),
  name: strictText(z.string().max(128, "must be at most 128 characters")).optional(),
  pem: z
    .string()
    .min(1, "must not be empty")
    .max(16_384, "must be at most 16384 characters")
    .regex(/-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/, "must be a PEM public key or certificate")
    .refine(
      (pem) => !pem.includes("PRIVATE KEY"),
      "must hold no private key: register the public key only",
    ),
  alg: auth0CredentialAlgorithmSchema.optional(),
  kid: strictText(z.string().min(1).max(64, "must be at most 64 characters")).optional(),
});
export type Auth0NewCredential = z.infer<typeof auth0NewCredentialSchema>;

/** A registered credential named by its id (what Auth0 answers, and what a PATCH keeps). */
export const auth0CredentialReferenceSchema = z.strictObject({
  id: z.string().min(1, "must not be empty").max(64),
});

const clientMetadataKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "keys must be 1–64 letters, digits, `_` or `-`");

/** Auth0's `client_metadata`: string values, at most 10 keys, values at most 255 characters. */
export const auth0ClientMetadataSchema = z
  .record(
    clientMetadataKeySchema,
    strictText(z.string().max(255, "values must be at most 255 characters")),
  )
  .refine((value) => Object.keys(value).length <= 10, "must hold at most 10 keys");

/** `jwt_configuration`: only `lifetime_in_seconds` (of ID tokens) is writable here. */
export const auth0JwtConfigurationRequestSchema = z.strictObject({
  lifetime_in_seconds: z
    .number()
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1 second")
    .max(MAX_TTL_SECONDS, `must be at most ${MAX_TTL_SECONDS} seconds`)
    .optional(),
});

/** Auth0's name pattern: anything but `<` and `>`. */
export const auth0ClientNameSchema = strictText(
  z
    .string()
    .min(1, "must not be empty")
    .max(255, "must be at most 255 characters")
    .regex(/^[^<>]+$/, "must not contain < or >"),
);

const descriptionSchema = strictText(z.string().max(140, "must be at most 140 characters"));

const grantTypesSchema = z.array(grantTypeSchema).max(10, "must hold at most 10 grant types");

function credentialsRequiredFor(
  body: {
    token_endpoint_auth_method?: string | null | undefined;
    client_authentication_methods?: unknown;
  },
  context: z.RefinementCtx,
): void {
  // Auth0: a client authenticates one way; private_key_jwt replaces the secret method.
  if (
    body.client_authentication_methods !== undefined &&
    body.client_authentication_methods !== null &&
    body.token_endpoint_auth_method !== undefined &&
    body.token_endpoint_auth_method !== null
  ) {
    context.addIssue({
      code: "custom",
      path: ["token_endpoint_auth_method"],
      message: "must not be given together with client_authentication_methods",
    });
  }
}

/**
 * `POST /api/v2/clients` body. Defaults as Auth0's: `grant_types` authorization_code,
 * implicit, refresh_token and client_credentials; `token_endpoint_auth_method`
 * client_secret_post; `jwt_configuration.lifetime_in_seconds` 36000; `is_first_party` true.
 */
export const createAuth0ClientRequestSchema = z
  .strictObject({
    name: auth0ClientNameSchema,
    description: descriptionSchema.optional(),
    app_type: auth0AppTypeSchema.optional(),
    grant_types: grantTypesSchema.optional(),
    token_endpoint_auth_method: auth0TokenEndpointAuthMethodSchema.optional(),
    client_authentication_methods: z
      .strictObject({
        private_key_jwt: z.strictObject({
          credentials: z
            .array(auth0NewCredentialSchema)
            .min(1, "must hold at least one credential")
            .max(2, "must hold at most 2 credentials"),
        }),
      })
      .optional(),
    jwt_configuration: auth0JwtConfigurationRequestSchema.optional(),
    client_metadata: auth0ClientMetadataSchema.optional(),
    is_first_party: z.boolean().optional(),
  })
  .superRefine(credentialsRequiredFor);
export type CreateAuth0ClientRequest = z.infer<typeof createAuth0ClientRequestSchema>;

/**
 * `PATCH /api/v2/clients/{id}` body: at least one field. A present field replaces
 * (`client_metadata` too, as a whole). `client_secret` sets a secret of the caller's choosing.
 * `client_authentication_methods.private_key_jwt.credentials` lists the credentials to keep (by
 * `id`) and new ones (by `pem`); `null` switches back to a secret. Setting
 * `token_endpoint_auth_method` on a `private_key_jwt` client also switches back.
 */
export const updateAuth0ClientRequestSchema = z
  .strictObject({
    name: auth0ClientNameSchema.optional(),
    description: descriptionSchema.optional(),
    app_type: auth0AppTypeSchema.optional(),
    grant_types: grantTypesSchema.optional(),
    token_endpoint_auth_method: auth0TokenEndpointAuthMethodSchema.nullable().optional(),
    client_authentication_methods: z
      .strictObject({
        private_key_jwt: z.strictObject({
          credentials: z
            .array(z.union([auth0CredentialReferenceSchema, auth0NewCredentialSchema]))
            .min(1, "must hold at least one credential")
            .max(2, "must hold at most 2 credentials"),
        }),
      })
      .nullable()
      .optional(),
    jwt_configuration: auth0JwtConfigurationRequestSchema.optional(),
    client_metadata: auth0ClientMetadataSchema.optional(),
    is_first_party: z.boolean().optional(),
    client_secret: z
      .string()
      .min(16, "must be at least 16 characters")
      .max(256, "must be at most 256 characters")
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: "the body must set at least one property",
    when: (payload) => payload.issues.length === 0,
  })
  .superRefine(credentialsRequiredFor);
export type UpdateAuth0ClientRequest = z.infer<typeof updateAuth0ClientRequestSchema>;

/**
 * An application as Auth0 returns it. `client_secret` appears only in the answers of create and
 * rotate-secret (the server keeps a hash, so it can never show it again), and never for a
 * `private_key_jwt` client. `token_endpoint_auth_method` is absent for `private_key_jwt`.
 */
export const auth0ClientSchema = z.object({
  client_id: z.string().min(1),
  tenant: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  app_type: z.string().optional(),
  global: z.boolean().optional(),
  is_first_party: z.boolean().optional(),
  grant_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().optional(),
  client_authentication_methods: z
    .object({
      private_key_jwt: z.object({ credentials: z.array(z.object({ id: z.string() })) }).optional(),
    })
    .optional(),
  jwt_configuration: z
    .object({
      lifetime_in_seconds: z.number().optional(),
      secret_encoded: z.boolean().optional(),
    })
    .optional(),
  client_metadata: z.record(z.string(), z.string()).optional(),
  client_secret: z.string().optional(),
});
export type Auth0Client = z.infer<typeof auth0ClientSchema>;

/** A listed application: `fields` may leave any field out, `client_id` included. */
export const auth0ClientListItemSchema = auth0ClientSchema.partial();
export type Auth0ClientListItem = z.infer<typeof auth0ClientListItemSchema>;

/**
 * `GET /api/v2/clients` query. `fields` is a comma-separated list of field names, included
 * (`include_fields` true, the default) or excluded; `app_type` a comma-separated list of types.
 */
export const listAuth0ClientsQuerySchema = z.strictObject({
  fields: z
    .string()
    .max(1024)
    .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of field names")
    .optional(),
  include_fields: queryBooleanSchema.optional(),
  page: queryIntegerSchema(0).optional(),
  per_page: queryIntegerSchema(1, 100).optional(),
  include_totals: queryBooleanSchema.optional(),
  app_type: z
    .string()
    .max(1024)
    .refine(
      (value) => value.split(",").every((type) => auth0AppTypeSchema.safeParse(type).success),
      `must be a comma-separated list of ${auth0AppTypeSchema.options.join(", ")}`,
    )
    .optional(),
  is_first_party: queryBooleanSchema.optional(),
  is_global: queryBooleanSchema.optional(),
});
export type ListAuth0ClientsQuery = z.input<typeof listAuth0ClientsQuerySchema>;

/** The `include_totals=true` envelope. */
export const auth0ClientOffsetPageSchema = z.object({
  start: z.number(),
  limit: z.number(),
  total: z.number(),
  clients: z.array(auth0ClientListItemSchema),
});

export const listAuth0ClientsResponseSchema = z.union([
  z.array(auth0ClientListItemSchema),
  auth0ClientOffsetPageSchema,
]);
export type ListAuth0ClientsResponse = z.infer<typeof listAuth0ClientsResponseSchema>;
