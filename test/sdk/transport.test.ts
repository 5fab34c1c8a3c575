import { inspect } from "node:util";
import { Agent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  GRANTS_CONFLICT,
  GRANTS_INVALID_RESPONSE,
  GRANTS_NETWORK,
  GRANTS_NOT_FOUND,
  GRANTS_TIMEOUT,
  GRANTS_UNAUTHORIZED,
  GRANTS_VALIDATION,
  USER_AGENT,
  createGrantsClient,
  isGrantsError,
} from "../../sdk";
import type { GrantsClient } from "../../sdk";
import { json, startStubServer, unusedPort } from "./_support/stub-server";
import type { StubServer } from "./_support/stub-server";
import { failure } from "./_support/failure";

const provider = {
  id: "p-1",
  name: "ci-issuer",
  description: "CI issuer",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};
const grant = { id: "cgr_1", client_id: "c", audience: "api", scope: ["read"] };

const API_TOKEN = "uga_api-token-secret";
const MGMT_TOKEN = "mgmt-token-secret";

describe("HTTP transport", () => {
  let stub: StubServer;
  let client: GrantsClient;

  beforeEach(async () => {
    stub = await startStubServer();
    client = createGrantsClient({
      apiUrl: stub.url,
      apiToken: API_TOKEN,
      retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  it("sends the user agent, JSON headers and the useGrant bearer token", async () => {
    stub.handle((_, res) => json(res, 201, { ...provider, extra: "ignored" }));
    const created = await client.providers.create({ name: "ci-issuer", description: "CI issuer" });
    expect(created).toEqual(provider);
    const [request] = stub.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/providers");
    expect(request?.headers["user-agent"]).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^pulumi-grants\/\d+\.\d+\.\d+/);
    expect(request?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.accept).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual({
      name: "ci-issuer",
      description: "CI issuer",
    });
  });

  it("sends client-grant calls under <apiUrl>/api/v2 with the api token by default", async () => {
    stub.handle((_, res) => json(res, 200, grant));
    await client.clientGrants.get("cgr_1");
    expect(stub.requests[0]?.url).toBe("/api/v2/client-grants/cgr_1");
    expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${API_TOKEN}`);
  });

  it("sends client-grant calls to managementApiUrl with the management token", async () => {
    const other = createGrantsClient({
      apiUrl: "http://127.0.0.1:9/never",
      apiToken: API_TOKEN,
      managementApiUrl: `${stub.url}/tenant/api/v2/`,
      managementApiToken: MGMT_TOKEN,
    });
    try {
      stub.handle((_, res) => json(res, 200, grant));
      await other.clientGrants.update("cgr_1", { scope: ["read"] });
      expect(stub.requests[0]?.method).toBe("PATCH");
      expect(stub.requests[0]?.url).toBe("/tenant/api/v2/client-grants/cgr_1");
      expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${MGMT_TOKEN}`);
    } finally {
      await other.close();
    }
  });

  it("percent-encodes path parameters", async () => {
    stub.handle((_, res) => json(res, 200, provider));
    await client.providers.get("a/b?c");
    expect(stub.requests[0]?.url).toBe("/v1/providers/a%2Fb%3Fc");
  });

  it("reuses keep-alive connections across calls", async () => {
    stub.handle((_, res) => json(res, 200, [provider]));
    for (let i = 0; i < 10; i += 1) await client.providers.list();
    const ports = new Set(stub.requests.map((request) => request.remotePort));
    expect(stub.requests).toHaveLength(10);
    // undici may open a second socket while the first is being released; never one per call.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it("resolves a 204 delete to undefined", async () => {
    stub.handle((_, res) => {
      res.writeHead(204);
      res.end();
    });
    await expect(client.providers.delete("p-1")).resolves.toBeUndefined();
    expect(stub.requests[0]?.method).toBe("DELETE");
  });

  it("maps a useGrant error body, its status and the request id", async () => {
    stub.handle((_, res) =>
      json(
        res,
        404,
        { code: "not_found", message: "Provider not found" },
        { "x-request-id": "rq-7" },
      ),
    );
    const error = await failure(client.providers.get("missing"));
    expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
    expect(error).toMatchObject({
      status: 404,
      body: { code: "not_found", message: "Provider not found" },
      requestId: "rq-7",
      method: "GET",
      url: `${stub.url}/v1/providers/missing`,
      attempts: 1,
    });
    expect((error as Error).message).toBe(
      `GET ${stub.url}/v1/providers/missing answered 404 Not Found: Provider not found`,
    );
  });

  it("maps an Auth0 error body and the request-id header", async () => {
    const body = {
      statusCode: 409,
      error: "Conflict",
      message: "A client grant already exists between c and api",
      errorCode: "conflict",
    };
    stub.handle((_, res) => json(res, 409, body, { "request-id": "a0-1" }));
    const error = await failure(client.clientGrants.create({ client_id: "c", audience: "api" }));
    expect(isGrantsError(error, GRANTS_CONFLICT)).toBe(true);
    expect(error).toMatchObject({ status: 409, body, requestId: "a0-1" });
  });

  it("keeps a non-JSON error answer out of the error body", async () => {
    stub.handle((_, res) => {
      res.writeHead(400, { "content-type": "text/html" });
      res.end("<h1>bad</h1>");
    });
    const error = await failure(client.providers.list());
    expect(isGrantsError(error, GRANTS_VALIDATION)).toBe(true);
    expect((error as { body?: unknown }).body).toBeUndefined();
  });

  it("raises GRANTS_INVALID_RESPONSE for a success body that breaks the contract", async () => {
    stub.handle((_, res) => json(res, 200, { ...provider, id: 42 }));
    const error = await failure(client.providers.get("p-1"));
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
    expect(error).toMatchObject({ status: 200, issues: [{ path: "id" }] });
  });

  it.each([
    ["an empty body", ""],
    ["a body that is not JSON", "<html>"],
  ])("raises GRANTS_INVALID_RESPONSE for %s", async (_, text) => {
    stub.handle((__, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(text);
    });
    const error = await failure(client.providers.list());
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
  });

  it("times out a stalled call and retries it when it is a read", async () => {
    let calls = 0;
    stub.handle((_, res) => {
      calls += 1;
      if (calls === 1) return; // stall the first attempt
      json(res, 200, [provider]);
    });
    await expect(client.providers.list({ timeoutMs: 500 })).resolves.toEqual([provider]);
    expect(stub.requests).toHaveLength(2);
  });

  it("gives up with GRANTS_TIMEOUT after the last attempt", async () => {
    stub.handle(() => undefined);
    const error = await failure(client.providers.list({ timeoutMs: 100 }));
    expect(isGrantsError(error, GRANTS_TIMEOUT)).toBe(true);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it("rejects with the caller's abort reason, not a GrantsError", async () => {
    stub.handle(() => undefined);
    const controller = new AbortController();
    const reason = new Error("deploy cancelled");
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.providers.list({ signal: controller.signal })).rejects.toBe(reason);
    expect(stub.requests).toHaveLength(1);
  });

  it("reports a refused connection as GRANTS_NETWORK after the bounded attempts", async () => {
    const port = await unusedPort();
    const refused = createGrantsClient({
      apiUrl: `http://127.0.0.1:${port}`,
      apiToken: API_TOKEN,
      retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 2 },
    });
    try {
      // A POST too: a refused connection proves the request never reached a server.
      const error = await failure(
        refused.providers.create({ name: "ci-issuer", description: "d" }),
      );
      expect(isGrantsError(error, GRANTS_NETWORK)).toBe(true);
      expect(error).toMatchObject({ attempts: 3, method: "POST" });
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    } finally {
      await refused.close();
    }
  });

  it("never puts a token in an error message, JSON or inspection", async () => {
    stub.handle((_, res) => json(res, 401, { code: "unauthorized", message: "Unauthorized" }));
    const error = await failure(client.providers.list());
    expect(isGrantsError(error, GRANTS_UNAUTHORIZED)).toBe(true);
    const rendered = `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
    expect(rendered).not.toContain(API_TOKEN);
    expect(inspect(client, { depth: 5 })).not.toContain(API_TOKEN);
    expect(JSON.stringify(client)).not.toContain(API_TOKEN);
  });

  it("refuses calls after close() and closes only its own dispatcher", async () => {
    await client.close();
    await client.close();
    await expect(client.providers.list()).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });

    const agent = new Agent();
    const shared = createGrantsClient({ apiUrl: stub.url, apiToken: API_TOKEN, dispatcher: agent });
    stub.handle((_, res) => json(res, 200, [provider]));
    await shared.providers.list();
    await shared.close();
    expect(agent.closed).toBe(false);
    const again = createGrantsClient({ apiUrl: stub.url, apiToken: API_TOKEN, dispatcher: agent });
    await expect(again.providers.list()).resolves.toEqual([provider]);
    await again.close();
    await agent.close();
  });
});
