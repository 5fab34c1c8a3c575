import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SQLITE_MIGRATIONS } from "../../server/store/migrations";
import { tokenResponseSchema } from "../../sdk/schemas/oauth";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";
import { verifyWithDiscovery } from "./_jose";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";

// The release before issue #10 wrote schema version 2. This test makes such a data dir: a
// server writes providers, keys, clients and grants, then the file is taken back to exactly the
// version-2 schema (what migrations 3 and later added dropped, user_version 2), checked
// against a database built from migrations 1–2 alone.
function downgradeToVersion2(dataDir: string): void {
  const db = new DatabaseSync(path.join(dataDir, "grants.db"));
  try {
    db.exec(`
      DROP TABLE IF EXISTS tenant;
      DROP TABLE IF EXISTS idempotency_keys;
      DROP INDEX IF EXISTS client_grants_by_client_audience;
      DROP TABLE client_assertion_ids;
      DROP INDEX clients_by_client_id;
      ALTER TABLE clients DROP COLUMN client_id;
      ALTER TABLE clients DROP COLUMN metadata;
      PRAGMA user_version = 2;
    `);
  } finally {
    db.close();
  }
}

function schemaOf(db: DatabaseSync): unknown {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => String(row.name));
  return Object.fromEntries(
    tables.map((table) => [
      table,
      db
        .prepare(`PRAGMA table_info("${table}")`)
        .all()
        .map((column) => `${String(column.name)} ${String(column.type)}`),
    ]),
  );
}

describe("a data dir of the release before the client model (schema version 2)", () => {
  let dataDir: string;
  let server: TestServer;
  let providerId: string;
  let client: { id: string; clientSecret: string };
  const audience = "https://api.example.test";

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "grants-migration-"));
    const old = await startTestServer({ dataDir });
    providerId = (await createProvider(old)).id;
    client = await createClient(old, providerId, { name: "deployer", audience });
    expectStatus(
      await call(old, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience, scope: ["deploy"] },
      }),
      201,
    );
    await old.close();
    downgradeToVersion2(dataDir);
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("migrates to the schema every migration builds, at the newest version", () => {
    const reference = new DatabaseSync(":memory:");
    reference.exec(SQLITE_MIGRATIONS[0]!);
    reference.exec(SQLITE_MIGRATIONS[1]!);
    const db = new DatabaseSync(path.join(dataDir, "grants.db"), { readOnly: true });
    try {
      // Read while the migrated server runs: compare against version 2 plus every later migration.
      for (const migration of SQLITE_MIGRATIONS.slice(2)) reference.exec(migration);
      expect(schemaOf(db)).toEqual(schemaOf(reference));
      expect(Number(db.prepare("PRAGMA user_version").get()?.user_version)).toBe(
        SQLITE_MIGRATIONS.length,
      );
    } finally {
      db.close();
      reference.close();
    }
  });

  it("still issues tokens to its clients with their old secrets, basic and post, for an hour", async () => {
    const tokenUrl = `${server.url}/p/${providerId}/oauth/token`;
    for (const post of [false, true]) {
      const form = new URLSearchParams({ grant_type: "client_credentials", audience });
      const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded",
      };
      if (post) {
        form.set("client_id", client.id);
        form.set("client_secret", client.clientSecret);
      } else {
        headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.clientSecret}`).toString("base64")}`;
      }
      const response = await fetch(tokenUrl, { method: "POST", headers, body: form.toString() });
      expect(response.status).toBe(200);
      const token = tokenResponseSchema.parse(await response.json());
      expect(token).toMatchObject({ expires_in: 3600, scope: "deploy" });
      const { payload } = await verifyWithDiscovery(token.access_token, {
        discoveryUrl: `${server.url}/p/${providerId}/.well-known/openid-configuration`,
        audience,
      });
      expect(payload.exp! - payload.iat!).toBe(3600);
      expect(payload.client_id).toBe(client.id);
    }
  });

  it("shows its clients through nevisMeta with the useGrant profile", async () => {
    const auth = `Basic ${Buffer.from(`admin:${server.adminToken}`).toString("base64")}`;
    const response = await call(
      server,
      "GET",
      `/nevismeta/rest/v2/modules/oauthv2/setups/${providerId}/clients/${client.id}`,
      { token: null, headers: { authorization: auth } },
    );
    expect(expectStatus(response, 200).body).toMatchObject({
      name: "deployer",
      client_id: client.id,
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "client_secret_post",
      confidentiality_type: "confidential",
      access_token_ttl: 3600,
    });
  });
});
