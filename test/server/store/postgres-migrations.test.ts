import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { POSTGRES_MIGRATIONS } from "../../../server/store/postgres/migrations";
import { PostgresStore } from "../../../server/store/postgres/postgres-store";
import { freshPostgresDatabase } from "../../support/postgres";

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("PostgreSQL schema migrations", () => {
  it("migrate once when several instances start at the same time", async () => {
    const database = await freshPostgresDatabase();
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => PostgresStore.open(database.url)),
      );
      await Promise.all(stores.map((store) => store.close()));
      const rows = await query<{ version: number }>(
        database.url,
        "SELECT version FROM grants_schema_migrations ORDER BY version",
      );
      expect(rows.map((row) => row.version)).toEqual(
        POSTGRES_MIGRATIONS.map((_, index) => index + 1),
      );
    } finally {
      await database.drop();
    }
  });

  it("refuse a database written by a newer server version", async () => {
    const database = await freshPostgresDatabase();
    try {
      await (await PostgresStore.open(database.url)).close();
      await query(database.url, "INSERT INTO grants_schema_migrations (version) VALUES (99)");
      await expect(PostgresStore.open(database.url)).rejects.toThrow(
        /schema \(version 99\) is newer than this server/,
      );
    } finally {
      await database.drop();
    }
  });
});
