import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { inject } from "vitest";

/** The URL of the run's PostgreSQL server (started by postgres-setup.ts). */
export function postgresServerUrl(): string {
  return inject("postgresUrl");
}

/**
 * A new, empty database on the run's PostgreSQL server, so test files (which run in parallel)
 * never see each other's rows. `drop()` removes it, closing whatever still holds it.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = new URL(postgresServerUrl());
  const name = `grants_test_${randomBytes(6).toString("hex")}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(server: URL, sql: string): Promise<void> {
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
