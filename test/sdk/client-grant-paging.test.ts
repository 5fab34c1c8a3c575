import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk";
import type { ClientGrant, ClientGrantFilters, GrantsClient, PagingMode } from "../../sdk";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { startFaultProxy } from "../support/fault-proxy";
import type { FaultProxy } from "../support/fault-proxy";

const CLIENTS = 5;
const AUDIENCES_PER_CLIENT = 50; // 5 × 50 = 250 grants

async function ids(iterator: AsyncIterable<ClientGrant>): Promise<string[]> {
  const out: string[] = [];
  for await (const grant of iterator) out.push(grant.id);
  return out;
}

const sorted = (values: readonly string[]) => [...values].sort();

// 250 grants created through the API, walked page by page with each paging style.
describe("GET /client-grants walks every page", () => {
  let server: TestServer;
  let proxy: FaultProxy;
  let client: GrantsClient;
  const grants: ClientGrant[] = [];
  const clientIds: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    proxy = await startFaultProxy(server.url);
    client = createGrantsClient({ apiUrl: proxy.url, apiToken: server.adminToken });
    const provider = await client.providers.create({ name: "paging", description: "250 grants" });
    for (let c = 0; c < CLIENTS; c += 1) {
      const app = await client.clients.create(provider.id, {
        name: `app-${c}`,
        audience: "paging",
      });
      clientIds.push(app.id);
      for (let a = 0; a < AUDIENCES_PER_CLIENT; a += 1) {
        grants.push(
          await client.clientGrants.create({
            client_id: app.id,
            audience: `https://api-${a}.example`,
            scope: ["read"],
            // Every fifth audience may be used by any organization: a boolean filter to walk.
            allow_any_organization: a % 5 === 0,
          }),
        );
      }
    }
  }, 120_000);
  afterAll(async () => {
    await client.close();
    await proxy.close();
    await server.close();
  });

  const expected = (filter: (grant: ClientGrant) => boolean) =>
    sorted(grants.filter(filter).map((grant) => grant.id));

  const walk = async (query: ClientGrantFilters, paging: PagingMode, pageSize: number) => {
    const before = proxy.requests.length;
    const walked = await ids(client.clientGrants.list(query, { paging, pageSize }));
    const pages = proxy.requests.slice(before).map((request) => new URL(request.path, proxy.url));
    return { walked, pages };
  };

  it.each(["checkpoint", "offset", "auto"] as const)(
    "visits each of the 250 grants exactly once with %s paging",
    async (paging) => {
      expect(grants).toHaveLength(250);
      const { walked, pages } = await walk({}, paging, 30);
      expect(walked).toHaveLength(250);
      expect(new Set(walked).size).toBe(250);
      expect(sorted(walked)).toEqual(expected(() => true));
      // ceil(250 / 30) = 9 pages; checkpoint paging needs no empty trailing request.
      expect(pages).toHaveLength(9);
      const usesCursor = pages.some((url) => url.searchParams.has("from"));
      expect(usesCursor).toBe(paging !== "offset");
    },
  );

  const filters: [string, () => ClientGrantFilters, (grant: ClientGrant) => boolean][] = [
    ["client_id", () => ({ client_id: clientIds[2] }), (g) => g.client_id === clientIds[2]],
    [
      "audience",
      () => ({ audience: "https://api-7.example" }),
      (g) => g.audience === "https://api-7.example",
    ],
    [
      "allow_any_organization",
      () => ({ allow_any_organization: true }),
      (g) => g.allow_any_organization === true,
    ],
    ["subject_type", () => ({ subject_type: "client" }), () => true],
    [
      "client_id and allow_any_organization",
      () => ({ client_id: clientIds[4], allow_any_organization: "false" }),
      (g) => g.client_id === clientIds[4] && g.allow_any_organization !== true,
    ],
  ];

  describe.each(["checkpoint", "offset"] as const)("with %s paging", (paging) => {
    it.each(filters)("visits exactly the grants matching %s", async (_, query, matches) => {
      const { walked } = await walk(query(), paging, 7);
      expect(walked.length).toBeGreaterThan(0);
      expect(new Set(walked).size).toBe(walked.length);
      expect(sorted(walked)).toEqual(expected(matches));
    });
  });

  it("falls back to offset paging when the server ignores checkpoint parameters", async () => {
    // The proxy drops from/take, so the server answers the unpaged bare array a pre-checkpoint
    // Management API sends; the client must notice and start over with offsets.
    proxy.plan(({ path }) => {
      const url = new URL(path, proxy.url);
      url.searchParams.delete("take");
      url.searchParams.delete("from");
      return { type: "forward", path: `${url.pathname}${url.search}` };
    });
    try {
      const { walked, pages } = await walk({}, "auto", 100);
      expect(sorted(walked)).toEqual(expected(() => true));
      expect(pages.map((url) => url.searchParams.get("page"))).toEqual([null, "0", "1", "2"]);
    } finally {
      proxy.plan(() => ({ type: "forward" }));
    }
  });
});
