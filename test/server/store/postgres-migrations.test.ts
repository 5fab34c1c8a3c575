import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { USEGRANT_CLIENT_METADATA } from "../../../sdk/schemas/oauth-client-metadata";
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

  it("give clients stored before the client model their id as client_id and the useGrant profile", async () => {
    const database = await freshPostgresDatabase();
    try {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        // A database at version 1, as the first PostgreSQL release left it, with one client.
        await client.query(
          "CREATE TABLE grants_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        );
        await client.query(POSTGRES_MIGRATIONS[0]!);
        await client.query("INSERT INTO grants_schema_migrations (version) VALUES (1)");
        await client.query(
          "INSERT INTO providers (id, name, description, signing_algorithm, created_at, updated_at) VALUES ('p1', 'Acme', '', 'ES256', 't', 't')",
        );
        await client.query(
          "INSERT INTO clients (id, provider_id, name, audience, subject, secret_hash, created_at, updated_at) VALUES ('c1', 'p1', 'worker', 'https://api', 's1', '\\x00', 't', 't')",
        );
      } finally {
        await client.end();
      }
      const store = await PostgresStore.open(database.url);
      try {
        const migrated = await store.getClientByClientId("c1");
        expect(migrated).toMatchObject({ id: "c1", clientId: "c1" });
        expect(migrated?.metadata).toEqual(USEGRANT_CLIENT_METADATA);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});
