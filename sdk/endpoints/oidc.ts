import {
  clientCredentialsRequestSchema,
  discoveryDocumentSchema,
  jwksSchema,
  tokenResponseSchema,
} from "../schemas/oauth";
import { defineEndpoint } from "./endpoint";

/** Endpoints under a provider's issuer URL; public except that the token endpoint authenticates the client. */
export const oidcEndpoints = {
  discovery: defineEndpoint({
    operationId: "getOpenIdConfiguration",
    dialect: "oidc",
    method: "GET",
    path: "/.well-known/openid-configuration",
    summary: "OpenID Connect discovery document",
    response: discoveryDocumentSchema,
    successStatus: 200,
    authenticated: false,
  }),
  jwks: defineEndpoint({
    operationId: "getJwks",
    dialect: "oidc",
    method: "GET",
    path: "/.well-known/jwks",
    summary: "The issuer's public signing keys",
    response: jwksSchema,
    successStatus: 200,
    authenticated: false,
  }),
  token: defineEndpoint({
    operationId: "requestToken",
    dialect: "oidc",
    method: "POST",
    path: "/oauth/token",
    summary: "OAuth 2.0 token endpoint, grant_type=client_credentials (RFC 6749 §4.4)",
    body: clientCredentialsRequestSchema,
    response: tokenResponseSchema,
    successStatus: 200,
    authenticated: false,
  }),
} as const;
