/**
 * The pulumi-grants sdk: the wire contract of the grant APIs (zod schemas and endpoint
 * descriptors) and a typed HTTP client for it. Every export is named here; nothing is
 * re-exported wholesale.
 *
 * @example
 * ```ts
 * import { createGrantsClient, isGrantsError, GRANTS_NOT_FOUND } from "pulumi-grants/sdk";
 * ```
 * @packageDocumentation
 */

// Client factories and their surface.
export { createGrantsClient } from "./client";
export type {
  ClientGrantFilters,
  ClientGrantsApi,
  ClientsApi,
  DomainsApi,
  GrantsClient,
  GrantsClientOptions,
  ListClientGrantsOptions,
  ProvidersApi,
  TokensApi,
} from "./client";
export { createOidcClient } from "./oidc";
export type {
  ClientAuthMethod,
  ClientCredentialsParams,
  DiscoveryApi,
  JwksApi,
  OAuthApi,
  OidcApis,
  OidcClient,
  OidcClientOptions,
} from "./oidc";
export { DEFAULT_TIMEOUT_MS } from "./context";
export type { TransportOptions } from "./context";
export type { RequestOptions } from "./request";
export { DEFAULT_RETRY_OPTIONS } from "./retry";
export type { RetryOptions } from "./retry";
export type { PagingMode } from "./pagination";
export type { InvalidArgumentError } from "./arguments";
export { SDK_VERSION, USER_AGENT } from "./version";

// Errors.
export {
  GRANTS_CONFLICT,
  GRANTS_ERROR_CODES,
  GRANTS_FORBIDDEN,
  GRANTS_INVALID_RESPONSE,
  GRANTS_NETWORK,
  GRANTS_NOT_FOUND,
  GRANTS_RATE_LIMITED,
  GRANTS_SERVER,
  GRANTS_TIMEOUT,
  GRANTS_UNAUTHORIZED,
  GRANTS_VALIDATION,
  GrantsError,
  isGrantsError,
} from "./errors";
export type { GrantsErrorBody, GrantsErrorCode, GrantsErrorOptions, ResponseIssue } from "./errors";

// The wire contract: schemas (TS types are their z.infer) and endpoint descriptors.
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
export type {
  ClientGrant,
  CreateClientGrantRequest,
  ListClientGrantsQuery,
  ListClientGrantsResponse,
  OrganizationUsage,
  SubjectType,
  UpdateClientGrantRequest,
} from "./schemas/client-grant";
export {
  clientAudienceSchema,
  clientListSchema,
  clientNameSchema,
  clientSchema,
  createClientRequestSchema,
  createdClientSchema,
} from "./schemas/client";
export type { Client, CreateClientRequest, CreatedClient } from "./schemas/client";
export {
  MAX_IDENTIFIER_LENGTH,
  identifierSchema,
  queryBooleanSchema,
  queryIntegerSchema,
  resourceIdSchema,
  strictText,
  timestampSchema,
} from "./schemas/common";
export {
  createDomainRequestSchema,
  domainListSchema,
  domainNameSchema,
  domainSchema,
  domainVerificationSchema,
} from "./schemas/domain";
export type { CreateDomainRequest, Domain, DomainVerification } from "./schemas/domain";
export { auth0ErrorBodySchema, healthSchema, useGrantErrorBodySchema } from "./schemas/error-body";
export type { Auth0ErrorBody, UseGrantErrorBody } from "./schemas/error-body";
export { openApiDocumentSchema } from "./schemas/openapi";
export type { OpenApiDocument } from "./schemas/openapi";
export {
  clientCredentialsRequestSchema,
  discoveryDocumentSchema,
  jwkSchema,
  jwksSchema,
  oauthErrorCodeSchema,
  oauthErrorSchema,
  tokenResponseSchema,
} from "./schemas/oauth";
export type {
  ClientCredentialsRequest,
  DiscoveryDocument,
  Jwk,
  Jwks,
  OAuthError,
  OAuthErrorCode,
  TokenResponse,
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
export type {
  CreateProviderRequest,
  Provider,
  RotateSigningKeyRequest,
  SigningAlgorithm,
  SigningKey,
} from "./schemas/provider";
export {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
  createTokenRequestSchema,
  tokenLifetimeSchema,
  tokenSchema,
} from "./schemas/token";
export type { CreateTokenRequest, Token } from "./schemas/token";
export { clientGrantEndpoints } from "./endpoints/client-grants";
export { clientEndpoints } from "./endpoints/clients";
export { domainEndpoints } from "./endpoints/domains";
export { defineEndpoint, expandPath } from "./endpoints/endpoint";
export type { Dialect, Endpoint, HttpMethod } from "./endpoints/endpoint";
export { oidcEndpoints } from "./endpoints/oidc";
export { serverEndpoints } from "./endpoints/server";
export { providerEndpoints } from "./endpoints/providers";
export { tokenEndpoints } from "./endpoints/tokens";
