import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { clearConfiguredSettings } from "../../provider/config";
import { clientImplementation } from "../../provider/resources/client/crud";
import { clientGrantImplementation } from "../../provider/resources/client-grant/crud";
import { providerImplementation } from "../../provider/resources/provider/crud";
import { clearPreflightAnswers } from "../../provider/shared/preflight";
import { UNKNOWN } from "../../provider/shared/unknown";
import { startFaultProxy } from "../support/fault-proxy";
import type { FaultProxy } from "../support/fault-proxy";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

// `check` is all preview runs, so it asks the API, read-only, what `up` would otherwise find out
// half-way: whether the server answers and takes the token, and whether referenced ids exist.

let server: TestServer;
let proxy: FaultProxy;
let sdk: GrantsClient;
let clientId: string;
let providerId: string;

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function configure(url: string, token: string) {
  const request = configureRequest({ "grants:apiUrl": url, "grants:apiToken": token });
  await providerImplementation.configure(request);
  await clientImplementation.configure(request);
  await clientGrantImplementation.configure(request);
}

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  const provider = await sdk.providers.create({ name: "preflight", description: "d" });
  providerId = provider.id;
  clientId = (await sdk.clients.create(provider.id, { name: "preflight-app", audience: "aud" })).id;
});
afterAll(async () => {
  await sdk?.close();
  await proxy?.close();
  await server?.close();
});
beforeEach(() => {
  clearGrantsEnvironment();
  clearPreflightAnswers();
});
afterEach(() => clearConfiguredSettings());

const grantCheck = (id: string) =>
  clientGrantImplementation.check({}, { clientId: id, audience: "https://api.example.com" });

describe("check asks the API what up would fail on", () => {
  it("a rejected token fails every resource kind, naming its token setting", async () => {
    await configure(server.url, "wrong-token-0123456789");
    const provider = await providerImplementation.check({}, { name: "abc", description: "d" });
    expect(provider.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(
          /^grants:Provider preview check failed: .* 401 Unauthorized.*Check grants:apiToken\.$/,
        ),
      },
    ]);
    const grant = await grantCheck(clientId);
    expect(grant.failures?.[0]?.reason).toContain("grants:managementApiToken (or grants:apiToken");
    expect(JSON.stringify([provider, grant])).not.toContain("wrong-token");
  });

  it("a refused connection names grants:apiUrl and asks whether the server runs", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    await configure(url, server.adminToken);
    const result = await clientImplementation.check(
      {},
      { providerId, name: "abc", audience: "aud" },
    );
    expect(result.failures).toEqual([
      {
        property: "",
        reason: `grants:Client preview check failed: the connection to ${url} was refused. Is the grant server running there? Check grants:apiUrl.`,
      },
    ]);
  });

  it("a client id that names no client fails on clientId, naming the id", async () => {
    await configure(server.url, server.adminToken);
    const missing = "00000000-0000-4000-8000-000000000000";
    const result = await grantCheck(missing);
    expect(result.failures).toEqual([
      {
        property: "clientId",
        reason: expect.stringContaining(`clientId "${missing}" names no client`),
      },
    ]);
    expect((await grantCheck(clientId)).failures).toEqual([]);
  });

  it("a provider id that names no provider fails on providerId", async () => {
    await configure(server.url, server.adminToken);
    const missing = "00000000-0000-4000-8000-000000000001";
    const result = await clientImplementation.check(
      {},
      { providerId: missing, name: "abc", audience: "aud" },
    );
    expect(result.failures).toEqual([
      { property: "providerId", reason: expect.stringContaining(`providerId "${missing}"`) },
    ]);
  });

  it("an id not known yet at preview is left to up", async () => {
    await configure(server.url, server.adminToken);
    expect((await grantCheck(UNKNOWN)).failures).toEqual([]);
  });

  it("finds a client created after the first listing (the same up created it)", async () => {
    await configure(server.url, server.adminToken);
    expect((await grantCheck(clientId)).failures).toEqual([]);
    const later = await sdk.clients.create(providerId, { name: "later-app", audience: "aud" });
    expect((await grantCheck(later.id)).failures).toEqual([]);
  });

  it("asks once per process, however many resources are checked", async () => {
    await configure(proxy.url, server.adminToken);
    const before = proxy.requests.length;
    const checks = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        clientGrantImplementation.check(
          {},
          { clientId, audience: `https://api-${index}.example.com` },
        ),
      ),
    );
    expect(checks.every((check) => check.failures?.length === 0)).toBe(true);
    const sent = proxy.requests.slice(before).map((request) => request.path.split("?")[0]);
    // One probe of the grants API, one listing of providers and one of the provider's clients.
    expect(sent.toSorted()).toEqual(
      ["/api/v2/client-grants", "/v1/providers", `/v1/providers/${providerId}/clients`].toSorted(),
    );
  });

  it("a failure a retry may mend (503 on every probe) does not fail the check", async () => {
    await configure(proxy.url, server.adminToken);
    const before = proxy.requests.length;
    proxy.plan(() => ({
      type: "respond",
      status: 503,
      body: { code: "unavailable", message: "x" },
    }));
    try {
      const result = await providerImplementation.check({}, { name: "abc", description: "d" });
      expect(result.failures).toEqual([]);
      // Three quick attempts, not the eight an operation makes.
      expect(proxy.requests.length - before).toBe(3);
    } finally {
      proxy.plan(() => ({ type: "forward" }));
    }
  });
});
