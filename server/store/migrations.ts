/**
 * Versioned SQLite schema. Migration N (1-based) moves `PRAGMA user_version` from N-1 to N; each
 * runs in its own transaction with the version bump, so a crash never leaves a half-migrated
 * file. Never edit a released migration: append a new one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    signing_algorithm TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    algorithm TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    encrypted_private_key BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retiring')),
    created_at TEXT NOT NULL,
    retires_at TEXT
  );
  CREATE INDEX signing_keys_by_provider ON signing_keys(provider_id, status);
  -- At most one active key per provider.
  CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(provider_id) WHERE status = 'active';

  CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    audience TEXT NOT NULL,
    subject TEXT NOT NULL UNIQUE,
    secret_hash BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX clients_by_provider ON clients(provider_id);

  CREATE TABLE domains (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    domain TEXT NOT NULL UNIQUE,
    verification_value TEXT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    verified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX domains_by_provider ON domains(provider_id, verified, verified_at);

  -- position orders grants for checkpoint paging; it is never reused (AUTOINCREMENT).
  CREATE TABLE client_grants (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    scope TEXT,
    organization_usage TEXT,
    allow_any_organization INTEGER,
    subject_type TEXT,
    authorization_details_types TEXT,
    allow_all_scopes INTEGER
  );
  -- One grant per (client, audience, effective subject type): Auth0 answers 409 otherwise.
  CREATE UNIQUE INDEX client_grants_natural_key
    ON client_grants(client_id, audience, COALESCE(subject_type, 'client'));
  CREATE INDEX client_grants_by_audience ON client_grants(audience);
  CREATE INDEX client_grants_by_subject_type ON client_grants(COALESCE(subject_type, 'client'));
  CREATE INDEX client_grants_by_any_organization
    ON client_grants(COALESCE(allow_any_organization, 0));
  `,
  // Listing by client_id in position order: the natural-key index finds the rows but not in
  // that order (a sort per page); a one-column index carries the rowid, so it yields both.
  `
  CREATE INDEX client_grants_by_client ON client_grants(client_id);
  `,
  // Issue #10, one client model: every client carries its OAuth metadata (RFC 7591 names, as
  // JSON) and an OAuth client_id of its own (nevisMeta lets callers choose it). Clients stored
  // before this migration were created by the useGrant dialect: their client_id is their id and
  // their metadata is that dialect's profile, frozen here as it was when this migration shipped.
  // Assertion ids (jti) of private_key_jwt clients are kept until they expire, to refuse replays.
  `
  ALTER TABLE clients ADD COLUMN client_id TEXT;
  UPDATE clients SET client_id = id;
  CREATE UNIQUE INDEX clients_by_client_id ON clients(client_id);
  ALTER TABLE clients ADD COLUMN metadata TEXT NOT NULL DEFAULT '{"redirect_uris":[],"grant_types":["client_credentials"],"response_types":[],"access_token_ttl":3600,"refresh_token_ttl":15552000,"id_token_ttl":3600,"persisted_consent_ttl":31104000,"metadata":[],"contacts":[],"id_token_signed_response_alg":"RS256","require_pushed_authorization_requests":false,"force_reauthentication":false,"notSentGrantType":false,"token_endpoint_auth_method":"client_secret_post","confidentiality_type":"confidential"}';

  CREATE TABLE client_assertion_ids (
    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    jti TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, jti)
  );
  CREATE INDEX client_assertion_ids_by_expiry ON client_assertion_ids(expires_at);
  `,
  // Idempotency-Key records (server/idempotency.ts): one per caller and key, swept by expiry.
  `
  CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    response_status INTEGER,
    response_content_type TEXT,
    response_body BLOB,
    PRIMARY KEY (caller, key)
  );
  CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(expires_at);
  `,
  // Listing by client_id and audience together (what adoption asks): the one-column client index
  // would walk every grant of the client; this one finds the few rows, still in position order.
  `
  CREATE INDEX client_grants_by_client_audience ON client_grants(client_id, audience);
  `,
  // Issue #11: which provider is the tenant (its issuer is the server root; it owns the Auth0
  // applications and signs Management API tokens with its ordinary, sealed signing keys). At
  // most one row; deleting the provider deletes the row, and the next use makes a new tenant.
  `
  CREATE TABLE tenant (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    provider_id TEXT NOT NULL UNIQUE REFERENCES providers(id) ON DELETE CASCADE
  );
  `,
];
