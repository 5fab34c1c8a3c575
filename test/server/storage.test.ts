import { createPrivateKey } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jwksSchema } from "../../sdk/schemas/oauth";
import { open } from "../../server/keys/sealed-box";
import { encodePositionCursor } from "../../server/store/cursor";
import { SQLITE_MIGRATIONS } from "../../server/store/migrations";
import { clientWithGrantSql } from "../../server/store/row-records";
import { clientGrantCountQuery, clientGrantListQuery } from "../../server/store/sqlite-store";
import type { ClientGrantFilter, ClientGrantPage } from "../../server/store/store";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call } from "./_http";

describe("what the store keeps on disk", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  function database(): DatabaseSync {
    return new DatabaseSync(path.join(server.dataDir, "grants.db"), { readOnly: true });
  }

  it("runs in WAL mode at the current schema version, with foreign keys enforced", async () => {
    const db = database();
    try {
      expect(db.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
      expect(db.prepare("PRAGMA user_version").get()?.user_version).toBe(SQLITE_MIGRATIONS.length);
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
        .all()
        .map((row) => row.name);
      expect(indexes).toEqual(
        expect.arrayContaining([
          "signing_keys_by_provider",
          "clients_by_provider",
          "domains_by_provider",
          "client_grants_natural_key",
          "client_grants_by_client",
          "client_grants_by_audience",
          "client_grants_by_subject_type",
          "client_grants_by_any_organization",
        ]),
      );
    } finally {
      db.close();
    }
  });

  it("stores client secrets only as hashes and private keys only sealed with the master key", async () => {
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    const file = await readFile(path.join(server.dataDir, "grants.db"));
    const wal = await readFile(path.join(server.dataDir, "grants.db-wal")).catch(() =>
      Buffer.alloc(0),
    );
    for (const bytes of [file, wal]) {
      expect(bytes.includes(client.clientSecret)).toBe(false);
      expect(bytes.includes("PRIVATE KEY")).toBe(false);
    }

    const db = database();
    const row = db
      .prepare("SELECT kid, encrypted_private_key FROM signing_keys WHERE provider_id = ?")
      .get(provider.id);
    db.close();
    const sealed = row?.encrypted_private_key as Uint8Array;
    expect(() =>
      createPrivateKey({ key: Buffer.from(sealed), format: "der", type: "pkcs8" }),
    ).toThrow();

    const masterKey = Buffer.from(
      (await readFile(path.join(server.dataDir, "master.key"), "utf8")).trim(),
      "base64url",
    );
    const privateKey = createPrivateKey({
      key: open(masterKey, sealed, String(row?.kid)),
      format: "der",
      type: "pkcs8",
    });
    const jwks = jwksSchema.parse(await (await fetch(provider.jwksUri!)).json());
    const published = jwks.keys.find((key) => key.kid === row?.kid);
    const derived = privateKey.export({ format: "jwk" });
    expect(published?.n).toBe(derived.n);
    // The seal is bound to its key id: opened under another id it fails.
    expect(() => open(masterKey, sealed, "another-kid")).toThrow();
  });

  it("refuses to start with keys sealed under another master key, naming neither key", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-master-key-"));
    const otherKey = Buffer.alloc(32, 7).toString("base64url");
    try {
      const first = await startTestServer({ dataDir });
      await createProvider(first);
      await first.close();
      // Refusing at start beats answering 500 to every token request later.
      const refusal = await startTestServer({ dataDir, masterKey: otherKey }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(refusal?.message).toMatch(/master key does not open the stored signing keys/);
      expect(refusal?.message).not.toContain(otherKey);
      const sameKeyAgain = await startTestServer({ dataDir });
      await sameKeyAgain.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("client-grant listing queries", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const filters: ClientGrantFilter[] = [
    { audience: "https://api.example.test" },
    { clientId: "00000000-0000-4000-8000-000000000000" },
    { allowAnyOrganization: true },
    { subjectType: "user" },
    { audience: "https://api.example.test", clientId: "00000000-0000-4000-8000-000000000000" },
    { clientId: "00000000-0000-4000-8000-000000000000", subjectType: "client" },
  ];
  const pages: ClientGrantPage[] = [
    { kind: "all" },
    { kind: "offset", offset: 0, limit: 50 },
    { kind: "after", after: encodePositionCursor(10), limit: 50 },
  ];

  it.each(filters.flatMap((filter) => pages.map((page) => ({ filter, page }))))(
    "filter $filter with $page.kind paging searches an index, in order",
    ({ filter, page }) => {
      const db = new DatabaseSync(path.join(server.dataDir, "grants.db"), { readOnly: true });
      try {
        for (const query of [clientGrantListQuery(filter, page), clientGrantCountQuery(filter)]) {
          const plan = db
            .prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
            .all(...query.params)
            .map((row) => String(row.detail))
            .join("\n");
          expect(plan).toMatch(/^SEARCH client_grants USING .*INDEX|INTEGER PRIMARY KEY/m);
          expect(plan).not.toMatch(/^SCAN client_grants$/m);
          expect(plan).not.toContain("TEMP B-TREE");
        }
      } finally {
        db.close();
      }
    },
  );

  it("lists by client_id and audience together through the index on both columns", () => {
    const db = new DatabaseSync(path.join(server.dataDir, "grants.db"), { readOnly: true });
    try {
      const query = clientGrantListQuery(
        { audience: "https://api.example.test", clientId: "00000000-0000-4000-8000-000000000000" },
        { kind: "after", after: encodePositionCursor(10), limit: 50 },
      );
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
        .all(...query.params)
        .map((row) => String(row.detail))
        .join("\n");
      expect(plan).toContain("client_grants_by_client_audience (client_id=? AND audience=?");
    } finally {
      db.close();
    }
  });

  it("reads a token request's client and grant in one query, through both unique keys", () => {
    const db = new DatabaseSync(path.join(server.dataDir, "grants.db"), { readOnly: true });
    try {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${clientWithGrantSql((position) => `?${position}`)}`)
        .all("client", "https://api.example.test")
        .map((row) => String(row.detail))
        .join("\n");
      expect(plan).toMatch(/SEARCH clients USING INDEX \S+ \(client_id=\?\)/);
      expect(plan).toContain("SEARCH g USING INDEX client_grants_natural_key");
      expect(plan).not.toMatch(/SCAN/);
    } finally {
      db.close();
    }
  });
});

describe("schema migrations", () => {
  it("upgrades a database written by an older version, keeping its data", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-migrate-"));
    try {
      const old = new DatabaseSync(path.join(dataDir, "grants.db"));
      old.exec(SQLITE_MIGRATIONS[0]!);
      old.exec("PRAGMA user_version = 1");
      old
        .prepare(
          "INSERT INTO providers (id, name, description, signing_algorithm, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(
          "6f1c2b3a-0000-4000-8000-000000000001",
          "Old provider",
          "from version 1",
          "RS256",
          "2026-01-01T00:00:00.000Z",
          "2026-01-01T00:00:00.000Z",
        );
      old.close();

      const server = await startTestServer({ dataDir });
      try {
        const result = await call(
          server,
          "GET",
          "/v1/providers/6f1c2b3a-0000-4000-8000-000000000001",
        );
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({ name: "Old provider" });
      } finally {
        await server.close();
      }
      const upgraded = new DatabaseSync(path.join(dataDir, "grants.db"), { readOnly: true });
      expect(upgraded.prepare("PRAGMA user_version").get()?.user_version).toBe(
        SQLITE_MIGRATIONS.length,
      );
      upgraded.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses to open a database from a newer server version", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-newer-"));
    try {
      const newer = new DatabaseSync(path.join(dataDir, "grants.db"));
      newer.exec("PRAGMA user_version = 99");
      newer.close();
      await expect(startTestServer({ dataDir })).rejects.toThrow(
        /schema \(version 99\) is newer than this server/,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
