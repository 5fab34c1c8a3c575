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
  Auth0ClientsApi,
  ClientGrantFilters,
  ClientGrantsApi,
  ClientsApi,
  DomainsApi,
  GrantsClient,
  GrantsClientOptions,
  ListClientGrantsOptions,
  NevisMetaApi,
  NevisMetaClientsApi,
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
export {
  CLIENT_ASSERTION_LIFETIME_SECONDS,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
} from "./client-assertion";
export type { ClientAssertionAlgorithm } from "./client-assertion";
export { DEFAULT_TIMEOUT_MS } from "./context";
export type { TransportOptions } from "./context";
export type { RequestOptions } from "./request-options";
export { AUTH0_DEFAULT_REQUESTS_PER_SECOND, createRequestBudget } from "./pacing";
export type { RequestBudget, RequestBudgetOptions } from "./pacing";
export { DEFAULT_RETRY_OPTIONS } from "./retry";
export type { RetryOptions } from "./retry";
export type { PagingMode } from "./pagination";
export type { InvalidArgumentError } from "./invalid-argument-error";
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

// The wire types: plain TypeScript, generated from the zod schemas of the contract
// (`pulumi-grants/sdk/contract` has the schemas themselves).
export type {
  Auth0AppType,
  Auth0Client,
  Auth0ClientListItem,
  Auth0ErrorBody,
  Auth0NewCredential,
  Auth0TokenEndpointAuthMethod,
  Client,
  ClientCredentialsRequest,
  ClientGrant,
  ClientJwks,
  CreateAuth0ClientRequest,
  CreateClientGrantRequest,
  CreateClientRequest,
  CreateDomainRequest,
  CreateProviderRequest,
  CreateTokenRequest,
  CreatedClient,
  DiscoveryDocument,
  Domain,
  DomainVerification,
  GrantType,
  Jwk,
  Jwks,
  ListAuth0ClientsQuery,
  ListAuth0ClientsResponse,
  ListClientGrantsQuery,
  ListClientGrantsResponse,
  NevisMetaClient,
  NevisMetaClientListQuery,
  NevisMetaClientRequest,
  NevisMetaCreatedClient,
  NevisMetaErrorBody,
  NevisMetaSetup,
  OAuthClientMetadata,
  OAuthClientMetadataInput,
  OAuthError,
  OAuthErrorCode,
  OpenApiDocument,
  OrganizationUsage,
  Provider,
  RotateSigningKeyRequest,
  SigningAlgorithm,
  SigningKey,
  SubjectType,
  Token,
  TokenEndpointAuthMethod,
  TokenResponse,
  UpdateAuth0ClientRequest,
  UpdateClientGrantRequest,
  UseGrantErrorBody,
} from "./wire-types";
export {
  ManagementTokenError,
  clientCredentialsManagementToken,
  staticManagementToken,
  tenantUrlOf,
} from "./management-token-source";
export type {
  ClientCredentialsTokenOptions,
  ManagementTokenSource,
} from "./management-token-source";
