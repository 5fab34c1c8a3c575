import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocumentSchema } from "../../sdk/schemas/openapi";
import { ALL_ENDPOINTS } from "../../server/openapi";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { call, expectStatus } from "./_http";

describe("GET /openapi.json", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("documents every endpoint descriptor once, under its dialect's prefix", async () => {
    const document = openApiDocumentSchema.parse(
      expectStatus(await call(server, "GET", "/openapi.json", { token: null }), 200).body,
    );
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: server.url }]);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        path,
        method,
        operationId: (operation as { operationId: string }).operationId,
      })),
    );
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(
      ALL_ENDPOINTS.map((endpoint) => endpoint.operationId).sort(),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        { path: "/v1/providers", method: "post", operationId: "createProvider" },
        { path: "/api/v2/client-grants/{id}", method: "patch", operationId: "updateClientGrant" },
        { path: "/p/{providerId}/oauth/token", method: "post", operationId: "requestToken" },
      ]),
    );
  });

  it("documents the nevisMeta client endpoints under /nevismeta/rest with HTTP Basic", async () => {
    const document = openApiDocumentSchema.parse(
      expectStatus(await call(server, "GET", "/openapi.json", { token: null }), 200).body,
    );
    const clients = document.paths[
      "/nevismeta/rest/v2/modules/{module}/setups/{setupId}/clients/{clientId}"
    ] as Record<string, { operationId: string; security?: unknown }>;
    expect(Object.keys(clients).sort()).toEqual(["delete", "get", "put"]);
    expect(clients.put!.security).toEqual([{ adminBasic: [] }]);
    const create = (
      document.paths["/nevismeta/rest/v2/modules/{module}/setups/{setupId}/clients"] as Record<
        string,
        { requestBody?: { content: Record<string, { schema: { properties: object } }> } }
      >
    ).post!;
    expect(Object.keys(create.requestBody!.content["application/json"]!.schema.properties)).toEqual(
      expect.arrayContaining(["name", "client_id", "jwks", "access_token_ttl", "metadata"]),
    );
  });

  it("renders request and response schemas and query parameters from the zod contract", async () => {
    const document = (await call(server, "GET", "/openapi.json", { token: null })).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const createProvider = document.paths["/v1/providers"]!.post!;
    expect(createProvider.security).toEqual([{ adminToken: [] }]);
    expect(createProvider.requestBody).toMatchObject({
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: { name: { type: "string", minLength: 3, maxLength: 50 } },
            required: ["name", "description"],
            additionalProperties: false,
          },
        },
      },
    });
    const listGrants = document.paths["/api/v2/client-grants"]!.get!;
    const parameters = (listGrants.parameters as { name: string; in: string }[]).map(
      (parameter) => `${parameter.in}:${parameter.name}`,
    );
    expect(parameters).toEqual(
      expect.arrayContaining([
        "query:per_page",
        "query:take",
        "query:from",
        "query:include_totals",
      ]),
    );
    const token = document.paths["/p/{providerId}/oauth/token"]!.post!;
    expect(Object.keys((token.requestBody as { content: object }).content)).toEqual([
      "application/json",
      "application/x-www-form-urlencoded",
    ]);
    expect(token.responses).toMatchObject({
      default: {
        content: { "application/json": { schema: { $ref: "#/components/schemas/OAuthError" } } },
      },
    });
  });
});
