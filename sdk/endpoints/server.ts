import { healthSchema } from "../schemas/error-body";
import { openApiDocumentSchema } from "../schemas/openapi";
import { defineEndpoint } from "./endpoint";

/** The grant server's own operational endpoints, at the server root, without authentication. */
export const serverEndpoints = {
  health: defineEndpoint({
    operationId: "getHealth",
    dialect: "usegrant",
    method: "GET",
    path: "/healthz",
    summary: "Liveness: answers 200 once the server accepts requests",
    response: healthSchema,
    successStatus: 200,
    authenticated: false,
  }),
  openApi: defineEndpoint({
    operationId: "getOpenApiDocument",
    dialect: "usegrant",
    method: "GET",
    path: "/openapi.json",
    summary: "This API as an OpenAPI 3.1 document, generated from the endpoint descriptors",
    response: openApiDocumentSchema,
    successStatus: 200,
    authenticated: false,
  }),
} as const;
