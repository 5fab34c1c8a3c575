import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientGrantListQuery } from "../../../server/store/postgres/postgres-store";
import { PostgresStore } from "../../../server/store/postgres/postgres-store";
import type { ClientGrantFilter, ClientGrantPage } from "../../../server/store/store";
import { encodePositionCursor } from "../../../server/store/cursor";
import { clientWithGrantSql } from "../../../server/store/row-records";
import { freshPostgresDatabase } from "../../support/postgres";

describe("PostgreSQL client-grant listing queries", () => {
  let database: { url: string; drop(): Promise<void> };
  let client: Client;
  beforeAll(async () => {
    database = await freshPostgresDatabase();
    await (await PostgresStore.open(database.url)).close();
    client = new Client({ connectionString: database.url });
    await client.connect();
    // Plans depend on statistics: 20k grants over 200 clients and 100 audiences, analyzed.
    await client.query(
      "INSERT INTO providers (id, name, description, signing_algorithm, created_at, updated_at) VALUES ('p', 'p', '', 'ES256', '', '')",
    );
    await client.query(
      "INSERT INTO clients (id, client_id, provider_id, name, audience, subject, secret_hash, created_at, updated_at) SELECT 'c' || n, 'c' || n, 'p', 'c', 'a', 's' || n, '\\x00', '', '' FROM generate_series(1, 200) AS n",
    );
    await client.query(
      "INSERT INTO client_grants (id, client_id, audience, subject_type, allow_any_organization) SELECT 'g' || n, 'c' || (n % 200 + 1), 'https://api' || (n / 200) || '.example.test', CASE WHEN n % 10 = 0 THEN 'user' END, CASE WHEN n % 50 = 0 THEN TRUE END FROM generate_series(1, 20000) AS n",
    );
    await client.query("ANALYZE");
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const filters: ClientGrantFilter[] = [
    {},
    { audience: "https://api7.example.test" },
    { clientId: "c7" },
    { allowAnyOrganization: true },
    { subjectType: "user" },
  ];
  const pages: ClientGrantPage[] = [
    { kind: "all" },
    { kind: "offset", offset: 0, limit: 50 },
    { kind: "after", after: encodePositionCursor(10), limit: 50 },
  ];

  it.each(filters.flatMap((filter) => pages.map((page) => ({ filter, page }))))(
    "filter $filter with $page.kind paging reads through an index",
    async ({ filter, page }) => {
      const query = clientGrantListQuery(filter, page);
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN ${query.sql}`,
        query.params,
      );
      const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(plan).toMatch(/Index Scan/);
      expect(plan).not.toMatch(/Seq Scan/);
      // A page (LIMIT) walks an index in position order and stops; an unpaged filtered listing
      // may instead fetch its matches through the index and sort just those (the planner's
      // cheaper choice when every match is returned anyway).
      if (page.kind !== "all") expect(plan).not.toMatch(/Sort/);
    },
  );

  it("reads a token request's client and grant in one query, through both unique keys", async () => {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN ${clientWithGrantSql((position) => `$${position}`)}`,
      ["c7", "https://api7.example.test"],
    );
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toMatch(/Index Scan using clients_client_id_key on clients/);
    expect(plan).toMatch(/Index Scan using client_grants_natural_key on client_grants g/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
