import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientGrantImplementation } from "../../provider/resources/client-grant/crud";
import { providerImplementation } from "../../provider/resources/provider/crud";
import { startFaultProxy } from "../support/fault-proxy";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => clearConfiguredSettings());

/** A loopback port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function failureOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

/** What Pulumi's dynamic-provider host prints for a failed read or delete. */
const printed = (error: Error) => `${String(error)}: ${error.stack}`;

describe("provider failures read as one sentence", () => {
  it("a rejected token names the resource, operation, status and grants:apiToken", async () => {
    clearGrantsEnvironment();
    await providerImplementation.configure(
      configureRequest({
        "grants:apiUrl": server.url,
        "grants:apiToken": "wrong-token-0123456789",
      }),
    );
    const error = await failureOf(() =>
      providerImplementation.create({ name: "p-401", description: "d" }),
    );
    expect(error.message).toMatch(/^grants:Provider create failed: .* answered 401 Unauthorized/);
    expect(error.message).toContain("grants:apiToken");
    expect(error.message).not.toContain("wrong-token");
    expect(error.message.split("\n")).toHaveLength(1);
  });

  it("a refused connection names grants:apiUrl and asks whether the server runs, once, without a trace", async () => {
    clearGrantsEnvironment();
    const url = `http://127.0.0.1:${await closedPort()}`;
    await providerImplementation.configure(
      configureRequest({ "grants:apiUrl": url, "grants:apiToken": server.adminToken }),
    );
    const error = await failureOf(() => providerImplementation.delete("some-id", {} as never));
    expect(error.message).toBe(
      `grants:Provider delete failed: the connection to ${url} was refused. Is the grant server running there? Check grants:apiUrl.`,
    );
    expect(printed(error)).toBe(`error: ${error.message}`);
    expect(printed(error)).not.toMatch(/\.ts\b|GrantsError/);
  });

  it("a client grant's failure names the management settings", async () => {
    clearGrantsEnvironment();
    await clientGrantImplementation.configure(
      configureRequest({
        "grants:apiUrl": server.url,
        "grants:apiToken": "wrong-token-0123456789",
      }),
    );
    const error = await failureOf(() =>
      clientGrantImplementation.read("cgr_0000000000000000", undefined),
    );
    expect(error.message).toMatch(/^grants:ClientGrant read failed: .*401/);
    expect(error.message).toContain(
      "grants:managementApiToken (or grants:apiToken, or grants:auth0ClientId and grants:auth0ClientSecret)",
    );
  });

  it("a refused client-credentials exchange names the Auth0 settings, never the secret", async () => {
    clearGrantsEnvironment();
    await clientGrantImplementation.configure(
      configureRequest({
        "grants:auth0Domain": server.url,
        "grants:auth0ClientId": "no-such-application",
        "grants:auth0ClientSecret": "not-the-secret-0123456789",
      }),
    );
    const error = await failureOf(() =>
      clientGrantImplementation.read("cgr_0000000000000000", undefined),
    );
    expect(error.message).toMatch(
      /^grants:ClientGrant read failed: Management API token for client no-such-application/,
    );
    expect(error.message).toContain(
      "Check grants:auth0Domain, grants:auth0ClientId and grants:auth0ClientSecret",
    );
    expect(error.message).not.toContain("not-the-secret-0123456789");
  });

  it("a 429 on every attempt says how many were made, not that the wait budget ran out", async () => {
    clearGrantsEnvironment();
    const proxy = await startFaultProxy(server.url);
    try {
      proxy.plan(() => ({
        type: "respond",
        status: 429,
        headers: { "retry-after": "0" },
        body: { code: "too_many_requests", message: "Too many requests" },
      }));
      await providerImplementation.configure(
        configureRequest({ "grants:apiUrl": proxy.url, "grants:apiToken": server.adminToken }),
      );
      const error = await failureOf(() => providerImplementation.read("some-id", undefined));
      expect(error.message).toBe(
        `grants:Provider read failed: GET ${proxy.url}/v1/providers/some-id answered 429 Too Many Requests (Too many requests), after 8 attempts.`,
      );
      expect(proxy.requests).toHaveLength(8);
    } finally {
      await proxy.close();
    }
  });

  it("a malformed grants:requestTimeoutSeconds is named with the value", async () => {
    clearGrantsEnvironment();
    await providerImplementation.configure(
      configureRequest({
        "grants:apiUrl": server.url,
        "grants:apiToken": server.adminToken,
        "grants:requestTimeoutSeconds": "soon",
      }),
    );
    const error = await failureOf(() => providerImplementation.read("some-id", undefined));
    expect(error.message).toContain(
      'grants:requestTimeoutSeconds must be a whole number of seconds from 1 to 600, got "soon".',
    );
  });
});
