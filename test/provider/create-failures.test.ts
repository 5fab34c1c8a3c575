import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientGrantImplementation } from "../../provider/resources/client-grant/crud";
import * as sdkModule from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

/** Faults injected into the clients the implementation makes; the server itself stays real. */
const faults = { failUpdates: false };
/** Listings of client grants made through those clients. */
let listings = 0;

vi.mock("../../sdk/index", async (importOriginal) => {
  const original = await importOriginal<typeof sdkModule>();
  return {
    ...original,
    createGrantsClient(options: Parameters<typeof original.createGrantsClient>[0]) {
      const client = original.createGrantsClient(options);
      return {
        ...client,
        clientGrants: {
          ...client.clientGrants,
          list(...args: Parameters<GrantsClient["clientGrants"]["list"]>) {
            listings += 1;
            return client.clientGrants.list(...args);
          },
          async update(...args: Parameters<GrantsClient["clientGrants"]["update"]>) {
            if (faults.failUpdates) {
              throw new original.GrantsError("PATCH failed", {
                code: original.GRANTS_SERVER,
                method: "PATCH",
                url: `${options.managementApiUrl}/client-grants/x`,
                status: 503,
              });
            }
            return client.clientGrants.update(...args);
          },
        },
      } satisfies GrantsClient;
    },
  };
});

let server: TestServer;
let sdk: GrantsClient;

beforeAll(async () => {
  server = await startTestServer();
  sdk = sdkModule.createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
});

beforeEach(async () => {
  clearGrantsEnvironment();
  await clientGrantImplementation.configure(
    configureRequest({ "grants:apiUrl": server.url, "grants:apiToken": server.adminToken }),
  );
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(() => {
  faults.failUpdates = false;
  clearConfiguredSettings();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function existingGrant(name: string, scope: string[]) {
  const provider = await sdk.providers.create({ name: `${name}-issuer`, description: "d" });
  const client = await sdk.clients.create(provider.id, { name, audience: "aud" });
  return sdk.clientGrants.create({
    client_id: client.id,
    audience: "https://x.example.com",
    scope,
  });
}

describe("ClientGrant create when a step after the grant exists fails", () => {
  it("records the adopted grant (id and properties) when bringing it to the declared settings fails", async () => {
    const existing = await existingGrant("partial", ["old"]);
    faults.failUpdates = true;
    const inputs = (
      await clientGrantImplementation.check(
        {},
        {
          clientId: existing.client_id,
          audience: existing.audience,
          scopes: ["new"],
        },
      )
    ).inputs!;
    const failure = await clientGrantImplementation.create(inputs).then(
      () => undefined,
      (error: unknown) => error as Error & { id?: string; properties?: Record<string, unknown> },
    );
    // The dynamic-provider host turns `id` + `properties` into ErrorResourceInitFailed, so the
    // engine keeps the grant in state instead of orphaning it.
    expect(failure?.id).toBe(existing.id);
    expect(failure?.properties).toMatchObject({ scopes: ["old"], clientId: existing.client_id });
    expect(failure?.message).toContain(`adopted client grant ${existing.id}`);
    expect(failure?.message).not.toContain(server.adminToken);
  });

  it("creates a new grant with one POST and no listing before it", async () => {
    const existing = await existingGrant("fresh", ["a"]);
    const inputs = (
      await clientGrantImplementation.check(
        {},
        { clientId: existing.client_id, audience: "https://fresh.example.com", scopes: ["a"] },
      )
    ).inputs!;
    const before = listings;
    const created = await clientGrantImplementation.create(inputs);
    expect(listings).toBe(before);
    expect((await sdk.clientGrants.get(created.id)).audience).toBe("https://fresh.example.com");
  });

  it("adopts the grant another writer created before the POST (409), with a warning", async () => {
    const existing = await existingGrant("raced", ["a"]);
    const inputs = (
      await clientGrantImplementation.check(
        {},
        {
          clientId: existing.client_id,
          audience: existing.audience,
          scopes: ["a", "b"],
        },
      )
    ).inputs!;
    const created = await clientGrantImplementation.create(inputs);
    expect(created.id).toBe(existing.id);
    expect((await sdk.clientGrants.get(existing.id)).scope?.toSorted()).toEqual(["a", "b"]);
    expect(vi.mocked(console.warn).mock.calls.join("\n")).toContain(`adopting ${existing.id}`);
  });
});
