import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient, createOidcClient } from "../../sdk";
import type { GrantsClient } from "../../sdk";
import { startStubServer } from "./_support/stub-server";
import type { StubServer } from "./_support/stub-server";

// Caller mistakes are TypeErrors with Node's argument codes, thrown before any request.
describe("caller mistakes", () => {
  let stub: StubServer;
  let client: GrantsClient;

  beforeAll(async () => {
    stub = await startStubServer();
    client = createGrantsClient({ apiUrl: stub.url, apiToken: "t0ken-value", retry: false });
  });
  afterAll(async () => {
    await client.close();
    await stub.close();
  });

  const argError = (code: string, message: string | RegExp) =>
    expect.objectContaining({ name: "TypeError", code, message: expect.stringMatching(message) });

  it.each([
    [
      { apiUrl: "http://127.0.0.1:1" },
      "ERR_INVALID_ARG_TYPE",
      /^"options.apiToken" must be a non-empty string$/,
    ],
    [
      { apiUrl: "http://127.0.0.1:1", apiToken: "" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.apiToken" must be a non-empty string$/,
    ],
    [{ apiToken: "x" }, "ERR_INVALID_ARG_TYPE", /^"options.apiUrl" must be a non-empty string$/],
    [
      { apiUrl: "not a url", apiToken: "x" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.apiUrl" must be an absolute http\(s\) URL$/,
    ],
    [
      { apiUrl: "ftp://h", apiToken: "x" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.apiUrl" must be an absolute http\(s\) URL$/,
    ],
    [
      { apiUrl: "http://u:p@h", apiToken: "x" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.apiUrl" must not contain credentials$/,
    ],
    [
      { apiUrl: "http://h/?token=1", apiToken: "x" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.apiUrl" must not have a query/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", managementApiUrl: "nope" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.managementApiUrl"/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", managementApiToken: "" },
      "ERR_INVALID_ARG_VALUE",
      /^"options.managementApiToken"/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", timeoutMs: 0 },
      "ERR_INVALID_ARG_VALUE",
      /^"options.timeoutMs" must be a number of milliseconds from 1 to 2147483647$/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", timeoutMs: 1e12 },
      "ERR_INVALID_ARG_VALUE",
      /^"options.timeoutMs" must be a number of milliseconds from 1 to 2147483647$/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", retry: { maxTotalWaitMs: -1 } },
      "ERR_INVALID_ARG_VALUE",
      /^"options.retry.maxTotalWaitMs" must be a number of milliseconds from 0 to 2147483647$/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", timeoutMs: "5" },
      "ERR_INVALID_ARG_TYPE",
      /^"options.timeoutMs"/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", retry: { attempts: 1.5 } },
      "ERR_INVALID_ARG_VALUE",
      /^"options.retry.attempts"/,
    ],
    [
      { apiUrl: "http://h", apiToken: "x", dispatcher: {} },
      "ERR_INVALID_ARG_TYPE",
      /^"options.dispatcher" must be an undici Dispatcher$/,
    ],
  ])("rejects factory options %j", (options, code, message) => {
    expect(() => createGrantsClient(options as never)).toThrow(argError(code, message));
  });

  it("rejects missing factory options and bad oidc client options", () => {
    expect(() => createGrantsClient(undefined as never)).toThrow(
      argError("ERR_INVALID_ARG_TYPE", /^"options" must be an object$/),
    );
    expect(() => createOidcClient({ timeoutMs: -1 })).toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"options.timeoutMs"/),
    );
  });

  it("never echoes a token in an argument error", () => {
    try {
      createGrantsClient({ apiUrl: "nope", apiToken: "very-secret-token" });
    } catch (error) {
      expect(String(error)).not.toContain("very-secret-token");
      expect(JSON.stringify(error)).not.toContain("very-secret-token");
    }
  });

  it("names the body property that breaks the request schema", async () => {
    await expect(
      client.clientGrants.create({ client_id: "c", audience: "a", scope: ["read", "write", ""] }),
    ).rejects.toThrow(argError("ERR_INVALID_ARG_VALUE", /^"body.scope\[2\]" is invalid: /));
    await expect(client.providers.create({ name: "ab", description: "d" })).rejects.toThrow(
      argError(
        "ERR_INVALID_ARG_VALUE",
        /^"body.name" is invalid: Name must be at least 3 characters long$/,
      ),
    );
    await expect(client.providers.create({ name: 123, description: "d" } as never)).rejects.toThrow(
      argError("ERR_INVALID_ARG_TYPE", /^"body.name" is invalid/),
    );
    await expect(client.providers.create("x" as never)).rejects.toThrow(
      argError("ERR_INVALID_ARG_TYPE", /^"body" is invalid/),
    );
    await expect(
      client.clients.create("p", { name: "abc", audience: "api", secret: "x" } as never),
    ).rejects.toThrow(argError("ERR_INVALID_ARG_VALUE", /^"body.secret" is not a known property$/));
    await expect(client.clientGrants.update("cgr_1", {})).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"body" is invalid/),
    );
    await expect(client.tokens.create("p", "c", { expiresIn: 172_801 })).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"body.expiresIn" is invalid/),
    );
  });

  it("names empty or missing path parameters", async () => {
    await expect(client.providers.get("")).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"providerId" must be a non-empty string$/),
    );
    await expect(client.clients.get("p", undefined as never)).rejects.toThrow(
      argError("ERR_INVALID_ARG_TYPE", /^"clientId" must be a non-empty string$/),
    );
    await expect(client.clientGrants.delete(42 as never)).rejects.toThrow(
      argError("ERR_INVALID_ARG_TYPE", /^"id" must be a non-empty string$/),
    );
  });

  it("checks list filters and options when list() is called, before iterating", () => {
    expect(() => client.clientGrants.list({ per_page: 5 } as never)).toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"query.per_page" is not a known property$/),
    );
    expect(() => client.clientGrants.list({ subject_type: "robot" } as never)).toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"query.subject_type" is invalid/),
    );
    expect(() => client.clientGrants.list({}, { pageSize: 101 })).toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"options.pageSize" must be an integer from 1 to 100$/),
    );
    expect(() => client.clientGrants.list({}, { paging: "cursor" as never })).toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"options.paging"/),
    );
  });

  it("checks per-call options", async () => {
    await expect(client.providers.list({ timeoutMs: -5 })).rejects.toThrow(
      argError(
        "ERR_INVALID_ARG_VALUE",
        /^"options.timeoutMs" must be a number of milliseconds from 1 to 2147483647$/,
      ),
    );
    await expect(client.providers.list({ signal: "stop" as never })).rejects.toThrow(
      argError("ERR_INVALID_ARG_TYPE", /^"options.signal" must be an AbortSignal$/),
    );
  });

  it("checks client-credentials parameters without echoing the secret", async () => {
    const base = { clientId: "id", clientSecret: "s3cr3t-value", audience: "api" };
    await expect(client.oauth.clientCredentials(base as never)).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^exactly one of "params.tokenUrl" and "params.issuer"/),
    );
    await expect(
      client.oauth.clientCredentials({ ...base, tokenUrl: "x", issuer: "y" }),
    ).rejects.toThrow(argError("ERR_INVALID_ARG_VALUE", /^exactly one of/));
    await expect(
      client.oauth.clientCredentials({ ...base, tokenUrl: `${stub.url}/t`, clientSecret: "" }),
    ).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"params.clientSecret" must be a non-empty string$/),
    );
    await expect(
      client.oauth.clientCredentials({ ...base, tokenUrl: `${stub.url}/t`, scope: ["a", "b c"] }),
    ).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"params.scope\[1\]" must not contain whitespace$/),
    );
    await expect(
      client.oauth.clientCredentials({
        ...base,
        tokenUrl: `${stub.url}/t`,
        authMethod: "client_secret_jwt" as never,
      }),
    ).rejects.toThrow(argError("ERR_INVALID_ARG_VALUE", /^"params.authMethod"/));
    await expect(client.discovery.get("issuer")).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"issuer" must be an absolute http\(s\) URL$/),
    );
    await expect(client.jwks.get("file:///etc/passwd")).rejects.toThrow(
      argError("ERR_INVALID_ARG_VALUE", /^"jwksUri"/),
    );
  });

  it("sent nothing for any of these mistakes", () => {
    expect(stub.requests).toHaveLength(0);
  });
});
