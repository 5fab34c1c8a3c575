import { z } from "zod";
import { auth0ClientEndpoints } from "../sdk/endpoints/auth0-clients";
import { clientGrantEndpoints } from "../sdk/endpoints/client-grants";
import { clientEndpoints } from "../sdk/endpoints/clients";
import { domainEndpoints } from "../sdk/endpoints/domains";
import type { Dialect, Endpoint } from "../sdk/endpoints/endpoint";
import { oidcEndpoints } from "../sdk/endpoints/oidc";
import { providerEndpoints } from "../sdk/endpoints/providers";
import { serverEndpoints } from "../sdk/endpoints/server";
import { tokenEndpoints } from "../sdk/endpoints/tokens";
import { auth0ErrorBodySchema, useGrantErrorBodySchema } from "../sdk/schemas/error-body";
import { nevisMetaEndpoints } from "../sdk/endpoints/nevismeta-clients";
import { nevisMetaErrorBodySchema } from "../sdk/schemas/nevismeta-client";
import { oauthErrorSchema } from "../sdk/schemas/oauth";
import type { OpenApiDocument } from "../sdk/schemas/openapi";

/** Every operation the server serves, in document order. */
export const ALL_ENDPOINTS: readonly Endpoint[] = [
  ...Object.values(serverEndpoints),
  ...Object.values(providerEndpoints),
  ...Object.values(clientEndpoints),
  ...Object.values(tokenEndpoints),
  ...Object.values(domainEndpoints),
  ...Object.values(clientGrantEndpoints),
  ...Object.values(auth0ClientEndpoints),
  ...Object.values(nevisMetaEndpoints),
  ...Object.values(oidcEndpoints),
];

/** How each dialect's paths appear in the document (OIDC: under the default issuer path). */
const DOCUMENT_PREFIX: Readonly<Record<Dialect, string>> = {
  usegrant: "",
  auth0: "/api/v2",
  nevismeta: "/nevismeta/rest",
  oidc: "/p/{providerId}",
};

const ERROR_SCHEMA_NAME: Readonly<Record<Dialect, string>> = {
  usegrant: "UseGrantError",
  auth0: "Auth0Error",
  nevismeta: "NevisMetaError",
  oidc: "OAuthError",
};

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the server, generated from the endpoint descriptors with zod's
 * own JSON Schema output (3.1 uses JSON Schema 2020-12, so schemas go in unchanged). Request
 * schemas are rendered as input, responses as output.
 */
export function buildOpenApiDocument(serverUrl: string, version: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ALL_ENDPOINTS) {
    const path = `${DOCUMENT_PREFIX[endpoint.dialect]}${endpoint.path}`;
    const operations = (paths[path] ??= {});
    operations[endpoint.method.toLowerCase()] = operationOf(endpoint);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "grants-server",
      version,
      description:
        "useGrant-compatible providers, clients, tokens and custom domains (/v1); Auth0-compatible client grants (/api/v2); OAuth 2.0 client_credentials and OIDC discovery under each issuer. A verified custom domain also serves the issuer paths at its root.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "The management token" },
        adminBasic: {
          type: "http",
          scheme: "basic",
          description: "nevisMeta dialect: any user name, the management token as password",
        },
        clientSecretBasic: { type: "http", scheme: "basic" },
      },
      schemas: {
        [ERROR_SCHEMA_NAME.usegrant]: jsonSchema(useGrantErrorBodySchema, "output"),
        [ERROR_SCHEMA_NAME.auth0]: jsonSchema(auth0ErrorBodySchema, "output"),
        [ERROR_SCHEMA_NAME.nevismeta]: jsonSchema(nevisMetaErrorBodySchema, "output"),
        [ERROR_SCHEMA_NAME.oidc]: jsonSchema(oauthErrorSchema, "output"),
      },
    },
  };
}

function operationOf(endpoint: Endpoint): Record<string, unknown> {
  const parameters: unknown[] = [];
  const path = `${DOCUMENT_PREFIX[endpoint.dialect]}${endpoint.path}`;
  for (const match of path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string" } });
  }
  if (endpoint.query) {
    const query = jsonSchema(endpoint.query, "input");
    const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(properties)) {
      parameters.push({ name, in: "query", required: required.has(name), schema });
    }
  }

  const operation: Record<string, unknown> = {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    tags: [endpoint.dialect],
  };
  if (parameters.length > 0) operation.parameters = parameters;
  if (endpoint.body) {
    const schema = jsonSchema(endpoint.body, "input");
    const content: Record<string, unknown> = { "application/json": { schema } };
    // RFC 6749 §4.4.2 specifies form encoding; JSON is accepted as Auth0 does.
    if (endpoint.dialect === "oidc") {
      content["application/x-www-form-urlencoded"] = { schema };
    }
    operation.requestBody = { required: endpoint.dialect === "oidc", content };
  }
  const success: Record<string, unknown> = { description: "Success" };
  if (endpoint.response) {
    success.content = { "application/json": { schema: jsonSchema(endpoint.response, "output") } };
  }
  operation.responses = {
    [String(endpoint.successStatus)]: success,
    default: {
      description: "Error",
      content: {
        "application/json": {
          schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME[endpoint.dialect]}` },
        },
      },
    },
  };
  if (endpoint.authenticated) {
    operation.security = [
      endpoint.dialect === "nevismeta" ? { adminBasic: [] } : { adminToken: [] },
    ];
  } else if (endpoint.dialect === "oidc" && endpoint.method === "POST") {
    operation.security = [{ clientSecretBasic: [] }, {}];
  }
  return operation;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Transforms (query strings turned into booleans) have no JSON Schema; "any" keeps them open.
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonSchema;
  delete out.$schema;
  return out;
}
