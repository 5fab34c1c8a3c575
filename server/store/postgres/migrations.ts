import type { PoolClient } from "pg";

/**
 * Versioned PostgreSQL schema. Migration N (1-based) is recorded as row N of
 * `grants_schema_migrations`; each runs in one transaction with its row. Never edit a released
 * migration: append a new one. The same shapes as the SQLite schema (server/store/migrations.ts),
 * with PostgreSQL types.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE providers (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    signing_algorithm TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE signing_keys (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    kid TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    algorithm TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    encrypted_private_key BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retiring')),
    created_at TEXT NOT NULL,
    retires_at TEXT
  );
  CREATE INDEX signing_keys_by_provider ON signing_keys(provider_id, status);
  CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(provider_id) WHERE status = 'active';

  CREATE TABLE clients (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    audience TEXT NOT NULL,
    subject TEXT NOT NULL UNIQUE,
    secret_hash BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX clients_by_provider ON clients(provider_id);

  CREATE TABLE domains (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    domain TEXT NOT NULL UNIQUE,
    verification_value TEXT NOT NULL,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    verified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX domains_by_provider ON domains(provider_id, verified, verified_at);

  -- position orders grants for checkpoint paging; an identity is never reused.
  CREATE TABLE client_grants (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    scope JSONB,
    organization_usage TEXT,
    allow_any_organization BOOLEAN,
    subject_type TEXT,
    authorization_details_types JSONB,
    allow_all_scopes BOOLEAN
  );
  -- One grant per (client, audience, effective subject type): a race of two creations through
  -- two instances ends in one insert and one unique violation, answered 409.
  CREATE UNIQUE INDEX client_grants_natural_key
    ON client_grants(client_id, audience, (COALESCE(subject_type, 'client')));
  CREATE INDEX client_grants_by_client ON client_grants(client_id, position);
  CREATE INDEX client_grants_by_audience ON client_grants(audience, position);
  CREATE INDEX client_grants_by_subject_type
    ON client_grants((COALESCE(subject_type, 'client')), position);
  CREATE INDEX client_grants_by_any_organization
    ON client_grants((COALESCE(allow_any_organization, FALSE)), position);
  `,
  // Issue #10, one client model, and issue #13, Idempotency-Key records: SQLite migrations 6 and
  // 7 (server/store/migrations.ts) in one step. Clients stored before this migration were made by
  // the useGrant dialect: their client_id is their id and their metadata is that dialect's
  // profile, frozen as SQLite's migration froze it. The unique client_id settles two instances
  // racing for one OAuth client_id (one insert, one "conflict"); the primary keys of
  // client_assertion_ids and idempotency_keys settle a replayed jti and a key claimed twice.
  `
  ALTER TABLE clients ADD COLUMN client_id TEXT;
  UPDATE clients SET client_id = id;
  ALTER TABLE clients ALTER COLUMN client_id SET NOT NULL;
  ALTER TABLE clients ADD CONSTRAINT clients_client_id_key UNIQUE (client_id);
  ALTER TABLE clients ADD COLUMN metadata JSONB NOT NULL DEFAULT '{"redirect_uris":[],"grant_types":["client_credentials"],"response_types":[],"access_token_ttl":3600,"refresh_token_ttl":15552000,"id_token_ttl":3600,"persisted_consent_ttl":31104000,"metadata":[],"contacts":[],"id_token_signed_response_alg":"RS256","require_pushed_authorization_requests":false,"force_reauthentication":false,"notSentGrantType":false,"token_endpoint_auth_method":"client_secret_post","confidentiality_type":"confidential"}';

  CREATE TABLE client_assertion_ids (
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
  );
  CREATE INDEX client_assertion_ids_by_expiry ON client_assertion_ids(expires_at);

  CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    response_status INTEGER,
    response_content_type TEXT,
    response_body BYTEA,
    PRIMARY KEY (caller, key)
  );
  CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(expires_at);
  `,
  // Issue #11: which provider is the tenant, as SQLite's migration 6. The one-row primary key
  // settles two instances making the tenant at once: one insert, the other finds it.
  `
  CREATE TABLE tenant (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    provider_id TEXT NOT NULL UNIQUE REFERENCES providers(id) ON DELETE CASCADE
  );
  `,
];

// Any fixed number, the same in every instance: the session-level advisory lock that makes
// migrations run once when several instances start at the same time.
const MIGRATION_LOCK = 0x6772616e74; // "grant"

/** Brings the schema up to date; a second instance waits on the lock, then finds nothing to do. */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await client.query(
      "CREATE TABLE IF NOT EXISTS grants_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ current: number | null }>(
      "SELECT MAX(version) AS current FROM grants_schema_migrations",
    );
    const current = rows[0]?.current ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `the database schema (version ${current}) is newer than this server (version ${POSTGRES_MIGRATIONS.length})`,
      );
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await client.query("BEGIN");
      try {
        await client.query(POSTGRES_MIGRATIONS[version - 1]!);
        await client.query("INSERT INTO grants_schema_migrations (version) VALUES ($1)", [version]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
  }
}
