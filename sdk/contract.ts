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
  authorizationDetailsTypeSchema,
  clientGrantArraySchema,
  clientGrantCheckpointPageSchema,
  clientGrantOffsetPageSchema,
  clientGrantSchema,
  createClientGrantRequestSchema,
  listClientGrantsQuerySchema,
  listClientGrantsResponseSchema,
  organizationUsageSchema,
  scopeSchema,
  SCOPE_TOKEN_PATTERN,
  subjectTypeSchema,
  updateClientGrantRequestSchema,
} from "./schemas/client-grant";
export {
  clientAudienceSchema,
  clientListSchema,
  clientNameSchema,
  clientSchema,
  createClientRequestSchema,
  createdClientSchema,
} from "./schemas/client";
export {
  queryBooleanSchema,
  queryIntegerSchema,
  resourceIdSchema,
  timestampSchema,
} from "./schemas/common";
export {
  createDomainRequestSchema,
  domainListSchema,
  domainNameSchema,
  domainSchema,
  domainVerificationSchema,
} from "./schemas/domain";
export { auth0ErrorBodySchema, healthSchema, useGrantErrorBodySchema } from "./schemas/error-body";
export { openApiDocumentSchema } from "./schemas/openapi";
export {
  clientCredentialsRequestSchema,
  discoveryDocumentSchema,
  jwkSchema,
  jwksSchema,
  oauthErrorCodeSchema,
  oauthErrorSchema,
  tokenResponseSchema,
} from "./schemas/oauth";
export {
  createProviderRequestSchema,
  providerDescriptionSchema,
  providerListSchema,
  providerNameSchema,
  providerSchema,
  rotateSigningKeyRequestSchema,
  signingAlgorithmSchema,
  signingKeyListSchema,
  signingKeySchema,
} from "./schemas/provider";
export {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
  createTokenRequestSchema,
  tokenLifetimeSchema,
  tokenSchema,
} from "./schemas/token";
export { clientGrantEndpoints } from "./endpoints/client-grants";
export { clientEndpoints } from "./endpoints/clients";
export { domainEndpoints } from "./endpoints/domains";
export { defineEndpoint, expandPath } from "./endpoints/endpoint";
export { oidcEndpoints } from "./endpoints/oidc";
export { serverEndpoints } from "./endpoints/server";
export { providerEndpoints } from "./endpoints/providers";
export { tokenEndpoints } from "./endpoints/tokens";
export type { Dialect, Endpoint, HttpMethod } from "./endpoints/endpoint";
