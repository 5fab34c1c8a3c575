/**
 * The wire contract of the grant APIs: every zod schema and endpoint descriptor, by name
 * (`pulumi-grants/sdk/contract`). The server validates with these, the sdk client calls through
 * them, and the OpenAPI document is generated from them. Plain TypeScript types of the same
 * shapes come from `pulumi-grants/sdk`.
 *
 * Its declarations name zod's types, and zod's typings need `esModuleInterop` (or
 * `skipLibCheck`) in the importing project's tsconfig; `pulumi-grants` and `pulumi-grants/sdk`
 * need neither.
 *
 * @example
 * ```ts
 * import { clientGrantSchema } from "pulumi-grants/sdk/contract";
 * const grant = clientGrantSchema.parse(await response.json());
 * ```
 * @packageDocumentation
 */
export {
  auth0AppTypeSchema,
  auth0TokenEndpointAuthMethodSchema,
  auth0CredentialAlgorithmSchema,
  auth0NewCredentialSchema,
  auth0CredentialReferenceSchema,
  auth0ClientMetadataSchema,
  auth0JwtConfigurationRequestSchema,
  auth0ClientNameSchema,
  createAuth0ClientRequestSchema,
  updateAuth0ClientRequestSchema,
  auth0ClientSchema,
  auth0ClientListItemSchema,
  listAuth0ClientsQuerySchema,
  auth0ClientOffsetPageSchema,
  listAuth0ClientsResponseSchema,
} from "./schemas/auth0-client";
export {
  organizationUsageSchema,
  subjectTypeSchema,
  SCOPE_TOKEN_PATTERN,
  scopeSchema,
  authorizationDetailsTypeSchema,
  createClientGrantRequestSchema,
  updateClientGrantRequestSchema,
  clientGrantSchema,
  listClientGrantsQuerySchema,
  clientGrantArraySchema,
  clientGrantOffsetPageSchema,
  clientGrantCheckpointPageSchema,
  listClientGrantsResponseSchema,
} from "./schemas/client-grant";
export {
  clientNameSchema,
  clientAudienceSchema,
  createClientRequestSchema,
  clientSchema,
  createdClientSchema,
  clientListSchema,
} from "./schemas/client";
export {
  timestampSchema,
  resourceIdSchema,
  queryBooleanSchema,
  queryIntegerSchema,
  MAX_IDENTIFIER_LENGTH,
  strictText,
  identifierSchema,
} from "./schemas/common";
export {
  domainNameSchema,
  createDomainRequestSchema,
  domainSchema,
  domainListSchema,
  domainVerificationSchema,
} from "./schemas/domain";
export { useGrantErrorBodySchema, auth0ErrorBodySchema, healthSchema } from "./schemas/error-body";
export {
  nevisMetaOAuthClientIdSchema,
  nevisMetaClientSecretSchema,
  nevisMetaClientRequestSchema,
  nevisMetaClientSchema,
  nevisMetaCreatedClientSchema,
  nevisMetaClientIdsSchema,
  nevisMetaClientListQuerySchema,
  nevisMetaSetupIdsSchema,
  nevisMetaSetupSchema,
  nevisMetaFieldErrorSchema,
  nevisMetaErrorBodySchema,
} from "./schemas/nevismeta-client";
export {
  grantTypeSchema,
  responseTypeSchema,
  tokenEndpointAuthMethodSchema,
  confidentialityTypeSchema,
  pkceModeSchema,
  idTokenSignedResponseAlgSchema,
  idTokenEncryptedResponseAlgSchema,
  idTokenEncryptedResponseEncSchema,
  CLIENT_ASSERTION_ALGORITHMS,
  MAX_TTL_SECONDS,
  webUriSchema,
  redirectUriSchema,
  localeSchema,
  clientMetadataEntrySchema,
  publicJwkSchema,
  clientJwksSchema,
  oauthClientMetadataFields,
  NEVISMETA_CLIENT_DEFAULTS,
  oauthClientMetadataSchema,
  USEGRANT_CLIENT_METADATA,
  checkClientMetadataRules,
  completeClientMetadata,
} from "./schemas/oauth-client-metadata";
export {
  clientCredentialsRequestSchema,
  tokenResponseSchema,
  oauthErrorCodeSchema,
  oauthErrorSchema,
  discoveryDocumentSchema,
  jwkSchema,
  jwksSchema,
} from "./schemas/oauth";
export { openApiDocumentSchema } from "./schemas/openapi";
export {
  signingAlgorithmSchema,
  providerNameSchema,
  providerDescriptionSchema,
  createProviderRequestSchema,
  providerSchema,
  providerListSchema,
  rotateSigningKeyRequestSchema,
  signingKeySchema,
  signingKeyListSchema,
} from "./schemas/provider";
export {
  MAX_TOKEN_LIFETIME_SECONDS,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  tokenLifetimeSchema,
  createTokenRequestSchema,
  tokenSchema,
} from "./schemas/token";
export { auth0ClientEndpoints } from "./endpoints/auth0-clients";
export { clientGrantEndpoints } from "./endpoints/client-grants";
export { clientEndpoints } from "./endpoints/clients";
export { domainEndpoints } from "./endpoints/domains";
export { defineEndpoint, expandPath } from "./endpoints/endpoint";
export { nevisMetaEndpoints } from "./endpoints/nevismeta-clients";
export { oidcEndpoints } from "./endpoints/oidc";
export { providerEndpoints } from "./endpoints/providers";
export { serverEndpoints } from "./endpoints/server";
export { tokenEndpoints } from "./endpoints/tokens";
export type { Dialect, Endpoint, HttpMethod } from "./endpoints/endpoint";
