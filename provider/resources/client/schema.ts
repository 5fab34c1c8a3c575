import { z } from "zod";
import { clientAudienceSchema, clientNameSchema } from "../../../sdk/schemas/client";
import { auth0AppTypeSchema, auth0ClientMetadataSchema } from "../../../sdk/schemas/auth0-client";
import { oauthClientMetadataFields } from "../../../sdk/schemas/oauth-client-metadata";

/**
 * The OAuth metadata inputs of `grants:Client`, camelCase with units, and the nevisMeta field
 * each one is (issue #10). This table is the only list: the input schema, the mapping to and
 * from nevisMeta and the diff are all derived from it.
 */
export const clientMetadataInputNames = {
  grantTypes: "grant_types",
  responseTypes: "response_types",
  redirectUris: "redirect_uris",
  tokenEndpointAuthMethod: "token_endpoint_auth_method",
  jwks: "jwks",
  jwksUri: "jwks_uri",
  accessTokenTtlSeconds: "access_token_ttl",
  refreshTokenTtlSeconds: "refresh_token_ttl",
  idTokenTtlSeconds: "id_token_ttl",
  persistedConsentTtlSeconds: "persisted_consent_ttl",
  scopes: "scopes",
  confidentialityType: "confidentiality_type",
  pkceMode: "pkce_mode",
  validFrom: "valid_from",
  owner: "owner",
  comment: "comment",
  contacts: "contacts",
  clientUri: "client_uri",
  logoUri: "logo_uri",
  policyUri: "policy_uri",
  tosUri: "tos_uri",
  metadata: "metadata",
  idTokenSignedResponseAlg: "id_token_signed_response_alg",
  idTokenEncryptedResponseAlg: "id_token_encrypted_response_alg",
  idTokenEncryptedResponseEnc: "id_token_encrypted_response_enc",
  requirePushedAuthorizationRequests: "require_pushed_authorization_requests",
  forceReauthentication: "force_reauthentication",
  notSentGrantType: "notSentGrantType",
} as const satisfies Record<string, keyof typeof oauthClientMetadataFields>;

type MetadataInputName = keyof typeof clientMetadataInputNames;
type Fields = typeof oauthClientMetadataFields;

export const clientMetadataInputKeys = Object.keys(clientMetadataInputNames) as MetadataInputName[];

const metadataInputShape = Object.fromEntries(
  clientMetadataInputKeys.map((key) => [
    key,
    oauthClientMetadataFields[clientMetadataInputNames[key]],
  ]),
) as { [K in MetadataInputName]: Fields[(typeof clientMetadataInputNames)[K]] };

/**
 * The inputs of `grants:Client`, validated in `check` with the wire contract's own rules.
 * `audience` is needed on the useGrant backend; the metadata inputs on the nevisMeta one
 * (`check` says so per property).
 */
export const clientInputsSchema = z.strictObject({
  providerId: z.string().min(1, "providerId must not be empty"),
  name: clientNameSchema,
  audience: clientAudienceSchema.optional(),
  ...metadataInputShape,
  // Auth0 applications only (`grants:backend auth0`); their Auth0 fields in auth0ClientInputNames.
  description: z.string().max(140, "description must be at most 140 characters").optional(),
  appType: auth0AppTypeSchema.optional(),
  clientMetadata: auth0ClientMetadataSchema.optional(),
  isFirstParty: z.boolean().optional(),
  /**
   * Any number; changing it on purpose rotates the secret (rotate-secret), in place. Terraform
   * names the same idea `client_secret_wo_version`.
   */
  secretVersion: z.number().int("secretVersion must be a whole number").min(0).optional(),
});
export type ClientInputs = z.infer<typeof clientInputsSchema>;

/** The backends a Client can be on besides useGrant; state records which (absent: useGrant). */
export type ClientBackendName = "nevis" | "auth0";

/** What `check` returns: the inputs plus the backend they were checked for (absent: useGrant). */
export type CheckedClientInputs = ClientInputs & { backend?: ClientBackendName };

/** The inputs only Auth0 applications have, and the Auth0 field each one is. */
export const auth0OnlyInputNames = {
  description: "description",
  appType: "app_type",
  clientMetadata: "client_metadata",
  isFirstParty: "is_first_party",
  secretVersion: "(rotate-secret)",
} as const satisfies Partial<Record<keyof ClientInputs, string>>;
export const auth0OnlyInputKeys = Object.keys(
  auth0OnlyInputNames,
) as (keyof typeof auth0OnlyInputNames)[];

/**
 * The metadata inputs an Auth0 application takes too (the rest are nevisMeta's): grant types,
 * the secret method, and the ID token lifetime (`jwt_configuration.lifetime_in_seconds`).
 */
export const auth0SharedMetadataKeys = [
  "grantTypes",
  "tokenEndpointAuthMethod",
  "idTokenTtlSeconds",
] as const satisfies readonly MetadataInputName[];

/** What `grants:Client` stores in state. `clientSecret` is marked secret by the resource class. */
export const clientOutputsSchema = z.object({
  providerId: z.string(),
  name: z.string(),
  audience: z.string().optional(),
  /** Absent in state written before issue #10 and for useGrant clients. */
  backend: z.enum(["nevis", "auth0"]).optional(),
  subject: z.string().optional(),
  issuer: z.string().optional(),
  tokenEndpoint: z.string().optional(),
  clientSecret: z.string().optional().meta({ secret: true }),
  createdAt: z.string().optional(),
});
export type ClientOutputs = z.infer<typeof clientOutputsSchema> & Partial<ClientInputs>;

export const clientInputKeys = [
  "providerId",
  "name",
  "audience",
  ...clientMetadataInputKeys,
  ...auth0OnlyInputKeys,
] as const satisfies readonly (keyof ClientInputs)[];

/**
 * The useGrant API has no update endpoint for clients, so every input forces replacement (and a
 * replacement client gets a new id and a new secret).
 */
export const clientReplaceKeys: readonly string[] = clientInputKeys;

/**
 * nevisMeta replaces a client's definition with PUT, so only the setup (`providerId`) and the
 * backend itself force a new client; everything else updates in place, keeping id and secret.
 */
export const nevisClientReplaceKeys: readonly string[] = ["providerId", "backend"];

/**
 * Auth0 PATCHes every field of an application in place (the secret too, through rotate-secret),
 * so as on nevisMeta only the provider (the tenant) and the backend force a new application.
 */
export const auth0ClientReplaceKeys: readonly string[] = ["providerId", "backend"];
