// The package entry point: resources, functions and their argument types, each named.
export { Provider } from "./resources/provider/resource";
export type { ProviderArgs } from "./resources/provider/resource";
export { Client } from "./resources/client/resource";
export type {
  ClientArgs,
  ClientGrantTypeName,
  ClientPublicJwk,
  ClientTokenEndpointAuthMethod,
} from "./resources/client/resource";
export { ClientGrant } from "./resources/client-grant/resource";
export type { ClientGrantArgs } from "./resources/client-grant/resource";
export { getAccessToken } from "./functions/get-access-token";
export type { GetAccessTokenArgs } from "./functions/get-access-token";
export { getClientCredentialsToken } from "./functions/get-client-credentials-token";
export type { GetClientCredentialsTokenArgs } from "./functions/get-client-credentials-token";
export type { AccessToken } from "./functions/access-token";
