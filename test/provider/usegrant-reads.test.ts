import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientImplementation } from "../../provider/resources/client/crud";
import { clientGrantImplementation } from "../../provider/resources/client-grant/crud";
import { providerImplementation } from "../../provider/resources/provider/crud";
import type { CheckedClientInputs } from "../../provider/resources/client/schema";
import { clearPreflightAnswers } from "../../provider/shared/preflight";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

// Each test is one provider process: what it kept from the last one is forgotten first.

let server: TestServer;
let sdk: GrantsClient;

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
});

beforeEach(async () => {
  clearGrantsEnvironment();
  clearPreflightAnswers();
  await providerImplementation.configure(
    configureRequest({ "grants:apiUrl": server.url, "grants:apiToken": server.adminToken }),
  );
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  clearConfiguredSettings();
  vi.restoreAllMocks();
});

/** The requests the server received while `run` ran, as "METHOD /path" with ids as `:id`. */
async function requestsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = server.logs().length;
  await run();
  return server
    .logs()
    .slice(before)
    .split("\n")
    .filter((line) => line.includes('"incoming request"'))
    .map((line) => {
      const { req } = JSON.parse(line) as { req: { method: string; url: string } };
      const path = req.url.split("?")[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id");
      return `${req.method} ${path}`;
    });
}

async function checkedClient(providerId: string, name: string): Promise<CheckedClientInputs> {
  const result = await clientImplementation.check(
    {},
    { providerId, name, audience: "https://reads.example.com" },
  );
  expect(result.failures).toEqual([]);
  return result.inputs!;
}

async function newProviderId(name: string): Promise<string> {
  return (await sdk.providers.create({ name, description: "reads" })).id;
}

describe("what one provider process asks the useGrant API", () => {
  it("creates ten clients of one provider with one read of it, one listing and ten POSTs", async () => {
    const providerId = await newProviderId("ten-clients");
    const inputs = await Promise.all(
      Array.from({ length: 10 }, (_, index) => checkedClient(providerId, `app-${index}`)),
    );
    const requests = await requestsDuring(() =>
      Promise.all(inputs.map((input) => clientImplementation.create(input))),
    );
    // The check read the provider already; the creates share one listing.
    expect(requests.filter((request) => request.startsWith("GET")).sort()).toEqual([
      "GET /v1/providers/:id/clients",
    ]);
    expect(requests.filter((request) => request === "POST /v1/providers/:id/clients")).toHaveLength(
      10,
    );
  });

  it("still adopts the client an earlier run created, with a warning", async () => {
    const providerId = await newProviderId("left-behind");
    const left = await sdk.clients.create(providerId, {
      name: "leftover",
      audience: "https://reads.example.com",
    });
    const created = await clientImplementation.create(await checkedClient(providerId, "leftover"));
    expect(created.id).toBe(left.id);
    expect(vi.mocked(console.warn).mock.calls.join("\n")).toContain(`adopting ${left.id}`);
  });

  it("gives two resources with the same name and audience a client each", async () => {
    const providerId = await newProviderId("twins");
    const input = await checkedClient(providerId, "twin");
    const [first, second] = await Promise.all([
      clientImplementation.create(input),
      clientImplementation.create(input),
    ]);
    expect(first.id).not.toBe(second.id);
    expect(await sdk.clients.list(providerId)).toHaveLength(2);
  });

  it("creates a new client after deleting the one with that name, not adopting the deleted one", async () => {
    const providerId = await newProviderId("again");
    const input = await checkedClient(providerId, "again");
    const first = await clientImplementation.create(input);
    await clientImplementation.delete(first.id, first.outs!);
    const second = await clientImplementation.create(input);
    expect(second.id).not.toBe(first.id);
    expect((await sdk.clients.list(providerId)).map((client) => client.id)).toEqual([second.id]);
  });

  it("checks a grant of a client it created without listing clients, and still refuses an unknown one", async () => {
    const providerId = await newProviderId("grant-check");
    const created = await clientImplementation.create(await checkedClient(providerId, "granted"));
    const requests = await requestsDuring(() =>
      clientGrantImplementation.check(
        {},
        { clientId: created.id, audience: "https://reads.example.com", scopes: ["read"] },
      ),
    );
    expect(requests.filter((request) => request.includes("/clients"))).toEqual([]);

    const unknown = await clientGrantImplementation.check(
      {},
      { clientId: "no-such-client", audience: "https://reads.example.com", scopes: ["read"] },
    );
    expect(unknown.failures).toEqual([
      expect.objectContaining({
        property: "clientId",
        reason: expect.stringContaining("no-such-client"),
      }),
    ]);
  });

  it("reads a provider once for the clients it refreshes", async () => {
    const providerId = await newProviderId("refreshed");
    const created = await Promise.all(
      ["app-a", "app-b", "app-c"].map(async (name) =>
        clientImplementation.create(await checkedClient(providerId, name)),
      ),
    );
    clearPreflightAnswers();
    const requests = await requestsDuring(() =>
      Promise.all(created.map((client) => clientImplementation.read(client.id, client.outs))),
    );
    expect(requests.filter((request) => request === "GET /v1/providers/:id")).toHaveLength(1);
    expect(
      requests.filter((request) => request === "GET /v1/providers/:id/clients/:id"),
    ).toHaveLength(3);
  });
});
