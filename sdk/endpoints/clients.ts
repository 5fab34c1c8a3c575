import {
  clientListSchema,
  clientSchema,
  createClientRequestSchema,
  createdClientSchema,
} from "../schemas/client";
import { defineEndpoint } from "./endpoint";

export const clientEndpoints = {
  create: defineEndpoint({
    operationId: "createClient",
    dialect: "usegrant",
    method: "POST",
    path: "/v1/providers/{providerId}/clients",
    summary: "Create a machine client; the response is the only one that shows its secret",
    body: createClientRequestSchema,
    response: createdClientSchema,
    successStatus: 201,
    authenticated: true,
  }),
  list: defineEndpoint({
    operationId: "listClients",
    dialect: "usegrant",
    method: "GET",
    path: "/v1/providers/{providerId}/clients",
    summary: "List a provider's clients",
    response: clientListSchema,
    successStatus: 200,
    authenticated: true,
  }),
  get: defineEndpoint({
    operationId: "getClient",
    dialect: "usegrant",
    method: "GET",
    path: "/v1/providers/{providerId}/clients/{clientId}",
    summary: "Get a client",
    response: clientSchema,
    successStatus: 200,
    authenticated: true,
  }),
  delete: defineEndpoint({
    operationId: "deleteClient",
    dialect: "usegrant",
    method: "DELETE",
    path: "/v1/providers/{providerId}/clients/{clientId}",
    summary: "Delete a client and its client grants",
    successStatus: 204,
    authenticated: true,
  }),
} as const;
