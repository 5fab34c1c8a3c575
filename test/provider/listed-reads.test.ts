import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientGrantImplementation } from "../../provider/resources/client-grant/crud";
import {
  LISTING_REUSE_MS,
  MAX_LISTING_PAGES,
  forgetGrantListings,
  readGrant,
} from "../../provider/resources/client-grant/listed-reads";
import { grantToOutputs } from "../../provider/resources/client-grant/mapping";
import { closeCachedClients } from "../../provider/shared/grants-client";
import type { ClientGrantOutputs } from "../../provider/resources/client-grant/schema";
import { createGrantsClient } from "../../sdk/index";
import type { ClientGrant, GrantsClient } from "../../sdk/index";
import { startFaultProxy } from "../support/fault-proxy";
import type { FaultProxy } from "../support/fault-proxy";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

const PER_CLIENT = 60;

let server: TestServer;
let proxy: FaultProxy;
/** Talks to the server directly: what someone else does out of band. */
let admin: GrantsClient;
/** Talks through the proxy, which records every request. */
let viaProxy: GrantsClient;
const grantsOf: Record<string, ClientGrant[]> = {};

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
  admin = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  viaProxy = createGrantsClient({ apiUrl: proxy.url, apiToken: server.adminToken });
  const provider = await admin.providers.create({ name: "listed-reads", description: "reads" });
  for (const name of ["alpha", "beta"]) {
    const client = await admin.clients.create(provider.id, { name, audience: "https://a.test" });
    grantsOf[client.id] = [];
    for (let index = 0; index < PER_CLIENT; index++) {
      grantsOf[client.id]!.push(
        await admin.clientGrants.create({
          client_id: client.id,
          audience: `https://api-${index}.listed.test`,
          scope: ["read"],
        }),
      );
    }
  }
});

afterAll(async () => {
  await closeCachedClients();
  await viaProxy?.close();
  await admin?.close();
  await proxy?.close();
  await server?.close();
});

beforeEach(async () => {
  forgetGrantListings();
  proxy.plan(() => ({ type: "forward" }));
  proxy.requests.length = 0;
  clearGrantsEnvironment();
  await clientGrantImplementation.configure(
    configureRequest({ "grants:apiUrl": proxy.url, "grants:apiToken": server.adminToken }),
  );
});

afterAll(() => clearConfiguredSettings());

const grantRequests = () =>
  proxy.requests.filter((request) => request.path.startsWith("/api/v2/client-grants"));
const listings = () => grantRequests().filter((request) => request.path.includes("?"));
const gets = () => grantRequests().filter((request) => !request.path.includes("?"));

/** The state `read` gets for a grant: its outputs, as the last up stored them. */
function stateOf(grant: ClientGrant): ClientGrantOutputs {
  const { id: _id, ...outputs } = grantToOutputs(grant);
  return outputs;
}

describe("reads of grants in one provider process (pulumi refresh)", () => {
  it("reads 120 grants of two clients, all at once as refresh does, with one listing per client: one GET each, not 120", async () => {
    const all = Object.values(grantsOf).flat();
    const reads = await Promise.all(
      all.map((grant) => clientGrantImplementation.read(grant.id, stateOf(grant))),
    );
    expect(reads.map((read) => read.id)).toEqual(all.map((grant) => grant.id));
    expect(reads.every((read) => read.props?.audience !== undefined)).toBe(true);
    expect(listings()).toHaveLength(2);
    expect(gets()).toHaveLength(2);
  });

  it("reads a lone grant with one GET, not a listing of its client's grants", async () => {
    const grant = Object.values(grantsOf)[0]![3]!;
    const read = await clientGrantImplementation.read(grant.id, stateOf(grant));
    expect(read.id).toBe(grant.id);
    expect(listings()).toEqual([]);
    expect(gets().map((request) => request.path)).toEqual([`/api/v2/client-grants/${grant.id}`]);
  });

  it("drops a grant deleted out of band: missing from the listing, its GET answers 404", async () => {
    const [first, gone] = Object.values(grantsOf)[0]!.slice(0, 2) as [ClientGrant, ClientGrant];
    await admin.clientGrants.delete(gone.id);
    const [kept, dropped] = await Promise.all([
      clientGrantImplementation.read(first.id, stateOf(first)),
      clientGrantImplementation.read(gone.id, stateOf(gone)),
    ]);
    expect(kept.id).toBe(first.id);
    expect(dropped).toEqual({});
    expect(listings()).toHaveLength(1);
    expect(gets().map((request) => request.path)).toContain(`/api/v2/client-grants/${gone.id}`);
  });

  it("after a write of this process, reads no longer trust the listing made before it", async () => {
    const [other, grant] = Object.values(grantsOf)[1]!.slice(4, 6) as [ClientGrant, ClientGrant];
    await clientGrantImplementation.read(other.id, stateOf(other));
    await clientGrantImplementation.read(grant.id, stateOf(grant)); // through the listing
    expect(listings()).toHaveLength(1);
    await clientGrantImplementation.update(grant.id, stateOf(grant), {
      ...stateOf(grant),
      scopes: ["read", "write"],
    } as never);
    const read = await clientGrantImplementation.read(grant.id, stateOf(grant));
    expect(read.props?.scopes).toEqual(["read", "write"]);
  });

  it("a listing answers reads for LISTING_REUSE_MS after a client's first read, then reads start over (fake clock)", async () => {
    const [first, grant] = Object.values(grantsOf)[1]!.slice(7, 9) as [ClientGrant, ClientGrant];
    const clientId = grant.client_id;
    await readGrant(viaProxy, first.id, clientId, 0);
    expect((await readGrant(viaProxy, grant.id, clientId, 1)).scope).toEqual(["read"]);
    await admin.clientGrants.update(grant.id, { scope: ["read", "audit"] });
    // Within the window the listing answers, as it would for the rest of one refresh.
    expect((await readGrant(viaProxy, grant.id, clientId, LISTING_REUSE_MS)).scope).toEqual([
      "read",
    ]);
    expect((await readGrant(viaProxy, grant.id, clientId, LISTING_REUSE_MS + 1)).scope).toEqual([
      "read",
      "audit",
    ]);
    expect(listings()).toHaveLength(1);
  });

  it("falls back to one GET per grant when the token may not list (403 on the listing)", async () => {
    proxy.plan(({ path }) =>
      path.startsWith("/api/v2/client-grants?")
        ? {
            type: "respond",
            status: 403,
            body: { statusCode: 403, error: "Forbidden", message: "Insufficient scope" },
          }
        : { type: "forward" },
    );
    const grants = Object.values(grantsOf)[0]!.slice(2, 5);
    const reads = await Promise.all(
      grants.map((grant) => clientGrantImplementation.read(grant.id, stateOf(grant))),
    );
    expect(reads.map((read) => read.id)).toEqual(grants.map((grant) => grant.id));
    expect(gets()).toHaveLength(3);
  });

  it("reads by id when the state names no client (an import)", async () => {
    const grant = Object.values(grantsOf)[0]![9]!;
    const read = await clientGrantImplementation.read(grant.id, undefined);
    expect(read.props?.clientId).toBe(grant.client_id);
    expect(listings()).toEqual([]);
    expect(gets()).toHaveLength(1);
  });

  it(`reads grant by grant a client with more than ${MAX_LISTING_PAGES * 100} grants, after at most ${MAX_LISTING_PAGES + 1} pages`, async () => {
    const provider = await admin.providers.create({ name: "many-grants", description: "reads" });
    const busy = await admin.clients.create(provider.id, {
      name: "busy",
      audience: "https://b.test",
    });
    const created: ClientGrant[] = [];
    for (let index = 0; index <= MAX_LISTING_PAGES * 100; index++) {
      created.push(
        await admin.clientGrants.create({
          client_id: busy.id,
          audience: `https://busy-${index}.listed.test`,
          scope: ["read"],
        }),
      );
    }
    const wanted = created.slice(0, 3);
    const reads = await Promise.all(
      wanted.map((grant) => clientGrantImplementation.read(grant.id, stateOf(grant))),
    );
    expect(reads.map((read) => read.id)).toEqual(wanted.map((grant) => grant.id));
    expect(gets()).toHaveLength(3);
    expect(listings().length).toBeLessThanOrEqual(MAX_LISTING_PAGES + 1);
  });
});
