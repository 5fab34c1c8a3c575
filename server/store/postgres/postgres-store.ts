import { Pool } from "pg";
import type { PoolClient, QueryResultRow } from "pg";
import type { SubjectType } from "../../../sdk/schemas/client-grant";
import { decodePositionCursor, grantListing } from "../cursor";
import type {
  ClientGrantFilter,
  ClientGrantListing,
  ClientGrantPage,
  ClientGrantRecord,
  ClientRecord,
  ClientWithGrant,
  CreateClientGrantOutcome,
  CreateClientOutcome,
  DomainRecord,
  IdempotencyClaim,
  IdempotencyRecord,
  ReplaceClientOutcome,
  ProviderRecord,
  SigningKeyRecord,
  Store,
} from "../store";
import { migrate } from "./migrations";
import {
  GRANT_COLUMNS,
  clientWithGrantSql,
  providerRowValues,
  rowRecords,
  signingKeyRowValues,
} from "../row-records";

type Row = QueryResultRow;
/** Anything that runs a query: the pool, or one client inside a transaction. */
type Queryable = Pick<Pool, "query"> | PoolClient;

/**
 * Every fixed statement, in one place. Each is sent as a named (prepared) statement: parsed and
 * planned once per pooled connection, then only bound and executed.
 */
const SQL = {
  insertProvider:
    "INSERT INTO providers (id, name, description, signing_algorithm, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
  listProviders: "SELECT * FROM providers ORDER BY created_at, seq",
  getProvider: "SELECT * FROM providers WHERE id = $1",
  getTenantProvider:
    "SELECT providers.* FROM tenant JOIN providers ON providers.id = tenant.provider_id WHERE tenant.singleton = 1",
  insertTenant:
    "INSERT INTO tenant (singleton, provider_id) VALUES (1, $1) ON CONFLICT (singleton) DO NOTHING",
  lockProvider: "SELECT id FROM providers WHERE id = $1 FOR UPDATE",
  deleteProvider: "DELETE FROM providers WHERE id = $1",
  setProviderAlgorithm:
    "UPDATE providers SET signing_algorithm = $1, updated_at = $2 WHERE id = $3",

  insertKey:
    "INSERT INTO signing_keys (kid, provider_id, algorithm, public_jwk, encrypted_private_key, status, created_at, retires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
  listKeys: "SELECT * FROM signing_keys WHERE provider_id = $1 ORDER BY created_at DESC, seq DESC",
  retireActiveKey:
    "UPDATE signing_keys SET status = 'retiring', retires_at = $1 WHERE provider_id = $2 AND status = 'active'",
  dropRetiredKeys:
    "DELETE FROM signing_keys WHERE provider_id = $1 AND status = 'retiring' AND retires_at <= $2",

  // ON CONFLICT on client_id turns a taken OAuth client_id (also one taken by a concurrent
  // insert through another instance) into "no row", answered "conflict".
  insertClient:
    "INSERT INTO clients (id, client_id, provider_id, name, audience, subject, secret_hash, metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (client_id) DO NOTHING",
  getClientByClientId: "SELECT * FROM clients WHERE client_id = $1",
  getClientWithGrant: clientWithGrantSql((position) => `$${position}`),
  replaceClient:
    "UPDATE clients SET client_id = $1, name = $2, secret_hash = $3, metadata = $4, updated_at = $5 WHERE id = $6",
  dropExpiredAssertionIds: "DELETE FROM client_assertion_ids WHERE expires_at <= $1",
  insertAssertionId:
    "INSERT INTO client_assertion_ids (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (client_id, jti) DO NOTHING",
  listClients: "SELECT * FROM clients WHERE provider_id = $1 ORDER BY created_at, seq",
  getClient: "SELECT * FROM clients WHERE id = $1",
  deleteClient: "DELETE FROM clients WHERE id = $1",

  insertDomain:
    "INSERT INTO domains (id, provider_id, domain, verification_value, verified, verified_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (domain) DO NOTHING",
  listDomains: "SELECT * FROM domains WHERE provider_id = $1 ORDER BY created_at, seq",
  getDomain: "SELECT * FROM domains WHERE id = $1",
  deleteDomain: "DELETE FROM domains WHERE id = $1",
  verifyDomain:
    "UPDATE domains SET verified = TRUE, verified_at = $1, updated_at = $1 WHERE id = $2 AND NOT verified",
  findVerifiedDomain: "SELECT * FROM domains WHERE domain = $1 AND verified",
  issuerDomain:
    "SELECT * FROM domains WHERE provider_id = $1 AND verified ORDER BY verified_at, seq LIMIT 1",

  // ON CONFLICT on the natural key turns a concurrent duplicate into "no row" (409), not an error.
  insertGrant: `INSERT INTO client_grants (id, client_id, audience, scope, organization_usage, allow_any_organization, subject_type, authorization_details_types, allow_all_scopes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (client_id, audience, (COALESCE(subject_type, 'client'))) DO NOTHING`,
  getGrant: `SELECT ${GRANT_COLUMNS} FROM client_grants WHERE id = $1`,
  lockGrant: `SELECT ${GRANT_COLUMNS} FROM client_grants WHERE id = $1 FOR UPDATE`,
  findGrant: `SELECT ${GRANT_COLUMNS} FROM client_grants WHERE client_id = $1 AND audience = $2 AND COALESCE(subject_type, 'client') = $3`,
  updateGrant:
    "UPDATE client_grants SET scope = $1, organization_usage = $2, allow_any_organization = $3, authorization_details_types = $4, allow_all_scopes = $5 WHERE id = $6",
  deleteGrant: "DELETE FROM client_grants WHERE id = $1",

  dropExpiredIdempotencyKeys: "DELETE FROM idempotency_keys WHERE expires_at <= $1",
  // Claiming is one statement: the insert wins, or the row of whoever won is locked and read.
  insertIdempotencyKey:
    "INSERT INTO idempotency_keys (caller, key, fingerprint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (caller, key) DO NOTHING",
  getIdempotencyKey: "SELECT * FROM idempotency_keys WHERE caller = $1 AND key = $2",
  completeIdempotencyKey:
    "UPDATE idempotency_keys SET response_status = $1, response_content_type = $2, response_body = $3 WHERE caller = $4 AND key = $5",
  releaseIdempotencyKey:
    "DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND response_status IS NULL",
} as const;

type StatementName = keyof typeof SQL;

/** PostgreSQL error codes (Appendix A of the manual) this store turns into outcomes. */
const FOREIGN_KEY_VIOLATION = "23503";
const UNIQUE_VIOLATION = "23505";

export interface PostgresStoreOptions {
  /** Most connections this instance opens. @default 10 */
  maxConnections?: number;
}

/**
 * The shared store: PostgreSQL through node-postgres, for several server instances on one
 * database. Writes of more than one row run in a transaction; races between instances are
 * settled by constraints (unique keys, foreign keys) and row locks, never by a read-then-write.
 * A resolved write is committed, so durable under PostgreSQL's default `synchronous_commit`.
 */
export class PostgresStore implements Store {
  readonly #pool: Pool;

  private constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Connects and brings the schema up to date (once, when instances start together). */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new Pool({ connectionString: url, max: options.maxConnections ?? 10 });
    // An idle connection that fails (the server restarted) is dropped by the pool; without a
    // listener the error would end the process.
    pool.on("error", () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool);
  }

  async createProvider(provider: ProviderRecord, key: SigningKeyRecord): Promise<void> {
    await this.#transaction(async (client) => {
      await insertProvider(client, provider);
      await insertKey(client, key);
    });
  }

  async ensureTenantProvider(
    provider: ProviderRecord,
    key: SigningKeyRecord,
  ): Promise<ProviderRecord> {
    const made = await this.#transaction(async (client) => {
      const existing = first(await run(client, "getTenantProvider", []), toProvider);
      if (existing) return existing;
      await insertProvider(client, provider);
      await insertKey(client, key);
      // Another instance may have made the tenant since the read: its row wins (the insert
      // waits for that transaction, then does nothing), and this one's provider is undone.
      if (changed(await run(client, "insertTenant", [provider.id]))) return provider;
      throw new TenantTakenError();
    }).catch((error: unknown) => {
      if (error instanceof TenantTakenError) return undefined;
      throw error;
    });
    if (made) return made;
    const winner = await this.getTenantProvider();
    if (!winner) throw new Error("the tenant vanished while it was being made");
    return winner;
  }

  async getTenantProvider(): Promise<ProviderRecord | undefined> {
    return first(await run(this.#pool, "getTenantProvider", []), toProvider);
  }

  async listProviders(): Promise<ProviderRecord[]> {
    return (await run(this.#pool, "listProviders", [])).rows.map(toProvider);
  }

  async getProvider(id: string): Promise<ProviderRecord | undefined> {
    return first(await run(this.#pool, "getProvider", [id]), toProvider);
  }

  async deleteProvider(id: string): Promise<boolean> {
    return changed(await run(this.#pool, "deleteProvider", [id]));
  }

  async listSigningKeys(providerId: string): Promise<SigningKeyRecord[]> {
    return (await run(this.#pool, "listKeys", [providerId])).rows.map(toSigningKey);
  }

  async rotateSigningKey(key: SigningKeyRecord, retiresAt: string, now: string): Promise<boolean> {
    return this.#transaction(async (client) => {
      // The provider row lock queues concurrent rotations (from any instance) one after another,
      // so the one-active-key index never sees two.
      if (!changed(await run(client, "lockProvider", [key.providerId]))) return false;
      await run(client, "dropRetiredKeys", [key.providerId, now]);
      await run(client, "retireActiveKey", [retiresAt, key.providerId]);
      await insertKey(client, key);
      await run(client, "setProviderAlgorithm", [key.algorithm, now, key.providerId]);
      return true;
    });
  }

  async createClient(client: ClientRecord): Promise<CreateClientOutcome> {
    try {
      const result = await run(this.#pool, "insertClient", [
        client.id,
        client.clientId,
        client.providerId,
        client.name,
        client.audience,
        client.subject,
        client.secretHash,
        JSON.stringify(client.metadata),
        client.createdAt,
        client.updatedAt,
      ]);
      return changed(result) ? "created" : "conflict";
    } catch (error) {
      if (isForeignKeyViolation(error)) return "inexistent_provider";
      throw error;
    }
  }

  async getClientByClientId(clientId: string): Promise<ClientRecord | undefined> {
    return first(await run(this.#pool, "getClientByClientId", [clientId]), toClient);
  }

  async getClientWithGrant(
    clientId: string,
    audience: string,
  ): Promise<ClientWithGrant | undefined> {
    return first(
      await run(this.#pool, "getClientWithGrant", [clientId, audience]),
      toClientWithGrant,
    );
  }

  async replaceClient(client: ClientRecord): Promise<ReplaceClientOutcome> {
    try {
      const result = await run(this.#pool, "replaceClient", [
        client.clientId,
        client.name,
        client.secretHash,
        JSON.stringify(client.metadata),
        client.updatedAt,
        client.id,
      ]);
      return changed(result) ? "replaced" : "inexistent_client";
    } catch (error) {
      // The unique client_id: another client holds it (or just took it through another instance).
      if (isUniqueViolation(error)) return "conflict";
      throw error;
    }
  }

  async useClientAssertionId(
    clientId: string,
    jti: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean> {
    // The sweep is its own statement: the insert alone decides, so two instances seeing the
    // same jti at once end in one insert (true) and one "no row" (false, a replay).
    await run(this.#pool, "dropExpiredAssertionIds", [now]);
    try {
      return changed(await run(this.#pool, "insertAssertionId", [clientId, jti, expiresAt]));
    } catch (error) {
      // The client was deleted meanwhile: its assertion ids cannot be recorded, nor accepted.
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  async listClients(providerId: string): Promise<ClientRecord[]> {
    return (await run(this.#pool, "listClients", [providerId])).rows.map(toClient);
  }

  async getClient(id: string): Promise<ClientRecord | undefined> {
    return first(await run(this.#pool, "getClient", [id]), toClient);
  }

  async deleteClient(id: string): Promise<boolean> {
    return changed(await run(this.#pool, "deleteClient", [id]));
  }

  async createDomain(
    domain: DomainRecord,
  ): Promise<"created" | "conflict" | "inexistent_provider"> {
    try {
      const result = await run(this.#pool, "insertDomain", [
        domain.id,
        domain.providerId,
        domain.domain,
        domain.verificationValue,
        domain.verified,
        domain.verifiedAt ?? null,
        domain.createdAt,
        domain.updatedAt,
      ]);
      return changed(result) ? "created" : "conflict";
    } catch (error) {
      if (isForeignKeyViolation(error)) return "inexistent_provider";
      throw error;
    }
  }

  async listDomains(providerId: string): Promise<DomainRecord[]> {
    return (await run(this.#pool, "listDomains", [providerId])).rows.map(toDomain);
  }

  async getDomain(id: string): Promise<DomainRecord | undefined> {
    return first(await run(this.#pool, "getDomain", [id]), toDomain);
  }

  async deleteDomain(id: string): Promise<boolean> {
    return changed(await run(this.#pool, "deleteDomain", [id]));
  }

  async markDomainVerified(id: string, at: string): Promise<DomainRecord | undefined> {
    return this.#transaction(async (client) => {
      await run(client, "verifyDomain", [at, id]);
      return first(await run(client, "getDomain", [id]), toDomain);
    });
  }

  async findVerifiedDomain(domain: string): Promise<DomainRecord | undefined> {
    return first(await run(this.#pool, "findVerifiedDomain", [domain]), toDomain);
  }

  async getIssuerDomain(providerId: string): Promise<DomainRecord | undefined> {
    return first(await run(this.#pool, "issuerDomain", [providerId]), toDomain);
  }

  async createClientGrant(grant: ClientGrantRecord): Promise<CreateClientGrantOutcome> {
    try {
      const result = await run(this.#pool, "insertGrant", [
        grant.id,
        grant.clientId,
        grant.audience,
        jsonOrNull(grant.scope),
        grant.organizationUsage ?? null,
        grant.allowAnyOrganization ?? null,
        grant.subjectType ?? null,
        jsonOrNull(grant.authorizationDetailsTypes),
        grant.allowAllScopes ?? null,
      ]);
      return changed(result) ? "created" : "conflict";
    } catch (error) {
      if (isForeignKeyViolation(error)) return "inexistent_client";
      throw error;
    }
  }

  async getClientGrant(id: string): Promise<ClientGrantRecord | undefined> {
    return first(await run(this.#pool, "getGrant", [id]), toClientGrant);
  }

  async findClientGrant(
    clientId: string,
    audience: string,
    subjectType: SubjectType,
  ): Promise<ClientGrantRecord | undefined> {
    return first(
      await run(this.#pool, "findGrant", [clientId, audience, subjectType]),
      toClientGrant,
    );
  }

  async listClientGrants(
    filter: ClientGrantFilter,
    page: ClientGrantPage,
  ): Promise<ClientGrantListing> {
    const query = clientGrantListQuery(filter, page);
    const { rows } = await this.#pool.query({
      name: `listGrants:${query.shape}`,
      text: query.sql,
      values: query.params,
    });
    return grantListing(rows, page, toClientGrant);
  }

  async countClientGrants(filter: ClientGrantFilter): Promise<number> {
    const { where, params, shape } = grantWhere(filter);
    const { rows } = await this.#pool.query<{ total: string }>({
      name: `countGrants:${shape}`,
      text: `SELECT COUNT(*) AS total FROM client_grants ${whereClause(where)}`,
      values: params,
    });
    return Number(rows[0]?.total ?? 0);
  }

  async updateClientGrant(
    id: string,
    update: (current: ClientGrantRecord) => ClientGrantRecord,
  ): Promise<ClientGrantRecord | undefined> {
    return this.#transaction(async (client) => {
      // FOR UPDATE: two instances patching one grant apply their patches one after the other.
      const current = first(await run(client, "lockGrant", [id]), toClientGrant);
      if (!current) return undefined;
      const next = update(current);
      await run(client, "updateGrant", [
        jsonOrNull(next.scope),
        next.organizationUsage ?? null,
        next.allowAnyOrganization ?? null,
        jsonOrNull(next.authorizationDetailsTypes),
        next.allowAllScopes ?? null,
        id,
      ]);
      return next;
    });
  }

  async deleteClientGrant(id: string): Promise<boolean> {
    return changed(await run(this.#pool, "deleteGrant", [id]));
  }

  async claimIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyClaim> {
    // Sweeping here keeps the table bounded without a timer; the index makes it cheap.
    await run(this.#pool, "dropExpiredIdempotencyKeys", [now]);
    // Insert or read back, retried: the row that made the insert lose may be released (deleted)
    // before it is read, and then the key is free again. Bounded: each round needs another
    // instance to claim and release the same key in between.
    for (let attempt = 0; attempt < 5; attempt++) {
      const inserted = await run(this.#pool, "insertIdempotencyKey", [
        record.caller,
        record.key,
        record.fingerprint,
        record.createdAt,
        record.expiresAt,
      ]);
      if (changed(inserted)) return { kind: "claimed" };
      const existing = first(
        await run(this.#pool, "getIdempotencyKey", [record.caller, record.key]),
        toIdempotencyRecord,
      );
      if (existing) return { kind: "existing", record: existing };
    }
    throw new Error("idempotency key claim did not settle after 5 attempts");
  }

  async completeIdempotencyKey(
    caller: string,
    key: string,
    response: NonNullable<IdempotencyRecord["response"]>,
  ): Promise<void> {
    await run(this.#pool, "completeIdempotencyKey", [
      response.status,
      response.contentType,
      response.sealedBody,
      caller,
      key,
    ]);
  }

  async releaseIdempotencyKey(caller: string, key: string): Promise<void> {
    await run(this.#pool, "releaseIdempotencyKey", [caller, key]);
  }

  #closing: Promise<void> | undefined;
  async close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }

  async #transaction<T>(body: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function run(db: Queryable, name: StatementName, values: unknown[]) {
  return db.query({ name, text: SQL[name], values });
}

function insertProvider(client: PoolClient, provider: ProviderRecord) {
  return run(client, "insertProvider", providerRowValues(provider));
}

function insertKey(client: PoolClient, key: SigningKeyRecord) {
  return run(client, "insertKey", signingKeyRowValues(key));
}

function changed(result: { rowCount: number | null }): boolean {
  return (result.rowCount ?? 0) > 0;
}

function first<T>(result: { rows: Row[] }, map: (row: Row) => T): T | undefined {
  const row = result.rows[0];
  return row ? map(row) : undefined;
}

function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/** A client-grant listing as SQL; `shape` names the prepared statement of this filter shape. */
export function clientGrantListQuery(
  filter: ClientGrantFilter,
  page: ClientGrantPage,
): { sql: string; params: unknown[]; shape: string } {
  const { where, params, shape } = grantWhere(filter);
  const select = `SELECT ${GRANT_COLUMNS} FROM client_grants`;
  const next = () => `$${params.length + 1}`;
  switch (page.kind) {
    case "after": {
      where.push(`position > ${next()}`);
      params.push(decodePositionCursor(page.after));
      const limit = next();
      params.push(page.limit + 1);
      return {
        sql: `${select} ${whereClause(where)} ORDER BY position LIMIT ${limit}`,
        params,
        shape: `${shape}:after`,
      };
    }
    case "offset": {
      const limit = next();
      params.push(page.limit);
      const offset = next();
      params.push(page.offset);
      return {
        sql: `${select} ${whereClause(where)} ORDER BY position LIMIT ${limit} OFFSET ${offset}`,
        params,
        shape: `${shape}:offset`,
      };
    }
    case "all":
      return {
        sql: `${select} ${whereClause(where)} ORDER BY position`,
        params,
        shape: `${shape}:all`,
      };
  }
}

function whereClause(where: readonly string[]): string {
  return where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
}

function grantWhere(filter: ClientGrantFilter): {
  where: string[];
  params: unknown[];
  shape: string;
} {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    where.push(`${condition} = $${params.length}`);
  };
  if (filter.audience !== undefined) add("audience", filter.audience);
  if (filter.clientId !== undefined) add("client_id", filter.clientId);
  if (filter.allowAnyOrganization !== undefined) {
    add("COALESCE(allow_any_organization, FALSE)", filter.allowAnyOrganization);
  }
  if (filter.subjectType !== undefined) {
    add("COALESCE(subject_type, 'client')", filter.subjectType);
  }
  const shape = [
    filter.audience !== undefined ? "a" : "",
    filter.clientId !== undefined ? "c" : "",
    filter.allowAnyOrganization !== undefined ? "o" : "",
    filter.subjectType !== undefined ? "s" : "",
  ].join("");
  return { where, params, shape };
}

function jsonOrNull(value: readonly string[] | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** PostgreSQL returns BOOLEAN, TEXT[] and JSONB decoded; BYTEA as a Buffer. */
const {
  toProvider,
  toSigningKey,
  toClient,
  toDomain,
  toIdempotencyRecord,
  toClientGrant,
  toClientWithGrant,
} = rowRecords({
  optionalBoolean: (value) => (value === null || value === undefined ? undefined : value === true),
  optionalList: (value) =>
    value === null || value === undefined ? undefined : (value as string[]),
  json: (value) => value,
  bytes: (value) => {
    if (value instanceof Uint8Array) return new Uint8Array(value);
    throw new TypeError("expected a BYTEA column");
  },
});

/** Rolls back a tenant made while another instance made one too. */
class TenantTakenError extends Error {}
