import { z } from "zod";
import {
  checkClientMetadataRules,
  oauthClientMetadataFields,
  oauthClientMetadataSchema,
} from "./oauth-client-metadata";

// nevisMeta's `OAuthV2ClientType` (seed 002, reference usegrant-api.md §9): the client metadata
// of ./oauth-client-metadata plus its name and OAuth credentials, snake_case.

/** The OAuth `client_id`: printable ASCII without spaces or `:` (it travels in HTTP Basic). */
export const nevisMetaOAuthClientIdSchema = z
  .string()
  .regex(/^[\x21-\x39\x3B-\x7E]{1,128}$/, "must be 1–128 printable ASCII characters without `:`");

/** A client secret chosen by the caller; at least 16 characters, so it is not guessable. */
export const nevisMetaClientSecretSchema = z
  .string()
  .min(16, "must be at least 16 characters")
  .max(256, "must be at most 256 characters");

const nevisMetaClientFields = {
  name: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters"),
  client_id: nevisMetaOAuthClientIdSchema.optional(),
  client_secret: nevisMetaClientSecretSchema.optional(),
  ...oauthClientMetadataFields,
};

/**
 * `POST` and `PUT …/setups/{setupId}/clients[/{clientId}]` body. `client_id` and `client_secret`
 * are generated when omitted (on PUT: the current ones are kept). Unknown fields are refused.
 */
export const nevisMetaClientRequestSchema = z
  .strictObject(nevisMetaClientFields)
  .superRefine((input, context) => checkClientMetadataRules(input, context));
export type NevisMetaClientRequest = z.infer<typeof nevisMetaClientRequestSchema>;

/** `GET …/clients/{clientId}`: the current definition; the secret is never shown again. */
export const nevisMetaClientSchema = oauthClientMetadataSchema.extend({
  name: z.string(),
  client_id: z.string(),
});
export type NevisMetaClient = z.infer<typeof nevisMetaClientSchema>;

/** The create answer: the internal id, and the secret, shown this once. */
export const nevisMetaCreatedClientSchema = z.object({
  clientId: z.string().min(1),
  client_id: z.string().min(1).optional(),
  client_secret: z.string().optional(),
});
export type NevisMetaCreatedClient = z.infer<typeof nevisMetaCreatedClientSchema>;

/** `GET …/clients`: internal ids of the matching clients. */
export const nevisMetaClientIdsSchema = z.object({ clientIds: z.array(z.string()) });

/**
 * `GET …/clients` filters. `name` and `owner` are exact matches; `metadata.<name>=<value>`
 * matches a metadata entry of that name (any locale); all filters must hold (AND).
 */
export const nevisMetaClientListQuerySchema = z
  .looseObject({
    name: z.string().max(255).optional(),
    owner: z.string().max(255).optional(),
  })
  .superRefine((query, context) => {
    for (const [key, value] of Object.entries(query)) {
      if (key === "name" || key === "owner") continue;
      if (!/^metadata\.[A-Za-z0-9_.-]{1,64}$/.test(key)) {
        context.addIssue({ code: "custom", path: [key], message: "unknown filter" });
      } else if (typeof value !== "string") {
        context.addIssue({ code: "custom", path: [key], message: "must be given once" });
      }
    }
  });
export type NevisMetaClientListQuery = z.infer<typeof nevisMetaClientListQuerySchema>;

/** `GET /v2/modules/{module}/setups`: one setup per provider of the server. */
export const nevisMetaSetupIdsSchema = z.object({ setupIds: z.array(z.string()) });

/** `GET /v2/modules/{module}/setups/{setupId}`: the setup and the defaults its clients get. */
export const nevisMetaSetupSchema = z.object({
  setupId: z.string(),
  name: z.string(),
  description: z.string(),
  issuer: z.string(),
  client_defaults: z.object({
    force_reauthentication: z.boolean(),
    access_token_ttl: z.number().int(),
    refresh_token_ttl: z.number().int(),
    id_token_ttl: z.number().int(),
    persisted_consent_ttl: z.number().int(),
    grant_types: z.array(z.string()),
  }),
});
export type NevisMetaSetup = z.infer<typeof nevisMetaSetupSchema>;

/** One failing field of a nevisMeta error answer. */
export const nevisMetaFieldErrorSchema = z.object({ field: z.string(), message: z.string() });

/**
 * The error body of the nevisMeta dialect: HTTP status, a stable code, a message, and the
 * failing fields by name.
 */
export const nevisMetaErrorBodySchema = z.object({
  status: z.number().int(),
  code: z.string().min(1),
  message: z.string(),
  errors: z.array(nevisMetaFieldErrorSchema).optional(),
});
export type NevisMetaErrorBody = z.infer<typeof nevisMetaErrorBodySchema>;
