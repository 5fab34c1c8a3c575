import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GRANTS_INVALID_RESPONSE, createGrantsClient, isGrantsError } from "../../sdk";
import type { ClientGrant, GrantsClient } from "../../sdk";
import { json, startStubServer } from "./_support/stub-server";
import type { StubServer } from "./_support/stub-server";

const grants: ClientGrant[] = Array.from({ length: 7 }, (_, i) => ({
  id: `cgr_${String(i).padStart(16, "0")}`,
  client_id: "c",
  audience: "api",
}));

async function collect(iterator: AsyncIterable<ClientGrant>): Promise<string[]> {
  const ids: string[] = [];
  for await (const grant of iterator) ids.push(grant.id);
  return ids;
}

// How the walk reacts to servers that page differently; the 250-grant walks against the grant
// server are in round-trip.test.ts.
describe("GET /client-grants paging edge cases", () => {
  let stub: StubServer;
  let client: GrantsClient;

  beforeEach(async () => {
    stub = await startStubServer();
    client = createGrantsClient({ apiUrl: stub.url, apiToken: "token", retry: false });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  const query = (url: string) => Object.fromEntries(new URL(url, "http://x").searchParams);

  it("falls back to offset paging when the server ignores take, without duplicates", async () => {
    stub.handle((request, res) => {
      const q = query(request.url);
      if (q.take !== undefined) return json(res, 200, grants); // paging unsupported: everything
      const page = Number(q.page);
      const perPage = Number(q.per_page);
      json(res, 200, grants.slice(page * perPage, (page + 1) * perPage));
    });
    const ids = await collect(client.clientGrants.list({ audience: "api" }, { pageSize: 3 }));
    expect(ids).toEqual(grants.map((grant) => grant.id));
    expect(stub.requests.map((request) => query(request.url))).toEqual([
      { audience: "api", take: "3" },
      { audience: "api", page: "0", per_page: "3", include_totals: "true" },
      { audience: "api", page: "1", per_page: "3", include_totals: "true" },
      { audience: "api", page: "2", per_page: "3", include_totals: "true" },
    ]);
  });

  it("refuses to loop on a cursor it was already given", async () => {
    stub.handle((_, res) => json(res, 200, { client_grants: grants.slice(0, 2), next: "same" }));
    const error = await collect(client.clientGrants.list()).catch((e: unknown) => e);
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
    expect(stub.requests).toHaveLength(2);
  });

  it("refuses offset pages that repeat when the server ignores page", async () => {
    stub.handle((_, res) => json(res, 200, grants.slice(0, 2)));
    const error = await collect(
      client.clientGrants.list({}, { pageSize: 2, paging: "offset" }),
    ).catch((e: unknown) => e);
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
  });

  it("insists on cursors when checkpoint paging is asked for", async () => {
    stub.handle((_, res) => json(res, 200, grants));
    const error = await collect(client.clientGrants.list({}, { paging: "checkpoint" })).catch(
      (e: unknown) => e,
    );
    expect(isGrantsError(error, GRANTS_INVALID_RESPONSE)).toBe(true);
  });

  it("stops fetching when the loop stops early", async () => {
    stub.handle((request, res) => {
      const from = Number(query(request.url).from ?? 0);
      json(res, 200, { client_grants: grants.slice(from, from + 2), next: String(from + 2) });
    });
    const seen: string[] = [];
    for await (const grant of client.clientGrants.list({}, { pageSize: 2 })) {
      seen.push(grant.id);
      if (seen.length === 3) break;
    }
    expect(seen).toHaveLength(3);
    expect(stub.requests).toHaveLength(2);
  });
});
