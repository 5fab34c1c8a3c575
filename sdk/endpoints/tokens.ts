import { createTokenRequestSchema, tokenSchema } from "../schemas/token";
import { defineEndpoint } from "./endpoint";

export const tokenEndpoints = {
  create: defineEndpoint({
    operationId: "createToken",
    dialect: "usegrant",
    method: "POST",
    path: "/v1/providers/{providerId}/clients/{clientId}/tokens",
    summary: "Mint a signed access token for a client",
    body: createTokenRequestSchema,
    response: tokenSchema,
    successStatus: 201,
    authenticated: true,
  }),
} as const;
