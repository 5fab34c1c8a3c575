import {
  nevisMetaClientIdsSchema,
  nevisMetaClientListQuerySchema,
  nevisMetaClientRequestSchema,
  nevisMetaClientSchema,
  nevisMetaCreatedClientSchema,
  nevisMetaSetupIdsSchema,
  nevisMetaSetupSchema,
} from "../schemas/nevismeta-client";
import { defineEndpoint } from "./endpoint";

/**
 * The nevisMeta REST API v2 (reference usegrant-api.md §9), relative to `/nevismeta/rest`.
 * `{module}` is `oauthv2`; each provider of the grant server is a setup.
 */
export const nevisMetaEndpoints = {
  listSetups: defineEndpoint({
    operationId: "nevisMetaListSetups",
    dialect: "nevismeta",
    method: "GET",
    path: "/v2/modules/{module}/setups",
    summary: "List the setups of a module (one per provider)",
    response: nevisMetaSetupIdsSchema,
    successStatus: 200,
    authenticated: true,
  }),
  getSetup: defineEndpoint({
    operationId: "nevisMetaGetSetup",
    dialect: "nevismeta",
    method: "GET",
    path: "/v2/modules/{module}/setups/{setupId}",
    summary: "Get a setup and the defaults its clients get",
    response: nevisMetaSetupSchema,
    successStatus: 200,
    authenticated: true,
  }),
  createClient: defineEndpoint({
    operationId: "nevisMetaCreateClient",
    dialect: "nevismeta",
    method: "POST",
    path: "/v2/modules/{module}/setups/{setupId}/clients",
    summary: "Create a client; the answer is the only one that shows a generated secret",
    body: nevisMetaClientRequestSchema,
    response: nevisMetaCreatedClientSchema,
    successStatus: 201,
    authenticated: true,
  }),
  listClients: defineEndpoint({
    operationId: "nevisMetaListClients",
    dialect: "nevismeta",
    method: "GET",
    path: "/v2/modules/{module}/setups/{setupId}/clients",
    summary: "List client ids, filtered by name, owner and metadata.<name> (AND)",
    query: nevisMetaClientListQuerySchema,
    response: nevisMetaClientIdsSchema,
    successStatus: 200,
    authenticated: true,
  }),
  getClient: defineEndpoint({
    operationId: "nevisMetaGetClient",
    dialect: "nevismeta",
    method: "GET",
    path: "/v2/modules/{module}/setups/{setupId}/clients/{clientId}",
    summary: "Get a client's current definition",
    response: nevisMetaClientSchema,
    successStatus: 200,
    authenticated: true,
  }),
  replaceClient: defineEndpoint({
    operationId: "nevisMetaReplaceClient",
    dialect: "nevismeta",
    method: "PUT",
    path: "/v2/modules/{module}/setups/{setupId}/clients/{clientId}",
    summary: "Replace a client's whole definition (omitted fields return to their defaults)",
    body: nevisMetaClientRequestSchema,
    response: nevisMetaClientSchema,
    successStatus: 200,
    authenticated: true,
  }),
  deleteClient: defineEndpoint({
    operationId: "nevisMetaDeleteClient",
    dialect: "nevismeta",
    method: "DELETE",
    path: "/v2/modules/{module}/setups/{setupId}/clients/{clientId}",
    summary: "Delete a client and its client grants",
    successStatus: 204,
    authenticated: true,
  }),
} as const;
