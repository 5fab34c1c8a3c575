import { DatabaseSync } from "node:sqlite";
import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { SubjectType } from "../../sdk/schemas/client-grant";
import { GroupSync } from "./group-sync";
import { UntilChangedCache } from "./until-changed-cache";
import { decodePositionCursor, grantListing } from "./cursor";
import { SQLITE_MIGRATIONS } from "./migrations";
import {
  GRANT_COLUMNS,
  clientWithGrantSql,
  providerRowValues,
  rowRecords,
  signingKeyRowValues,
  text,
} from "./row-records";
import type {
  ClientGrantFilter,
  ClientGrantListing,
  ClientGrantPage,
  ClientGrantRecord,
  ClientRecord,
  ClientWithGrant,
  CreateClientGrantOutcome,
  CreateClientOutcome,
  ReplaceClientOutcome,
  DomainRecord,
  IdempotencyClaim,
  IdempotencyRecord,
  ProviderRecord,
  SigningKeyRecord,
  Store,
} from "./store";

const noSync: Pick<GroupSync, "sync" | "close"> = {
  sync: async () => undefined,
  close: async () => undefined,
};

/**
 * The embedded store: one SQLite file through `node:sqlite`.
 *
 * Durability: a write the server answered 2xx survives a killed process and a power loss. Each
 * commit goes to the WAL journal (`synchronous=NORMAL`: in the OS page cache, which a killed
 * process cannot lose), and every write method resolves only after an fsync of the WAL that
 * started after its commit (group commit, {@link GroupSync}): the power-loss guarantee of
 * `synchronous=FULL` without a synchronous fsync per write on the event loop, and concurrent
 * writes share one fsync. Every statement is prepared once, here or on first use of a filter shape.
 */
export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #wal: Pick<GroupSync, "sync" | "close">;
  readonly #statements: Record<string, StatementSync>;
  /** Client-grant queries by filter shape; at most 2^4 × paging modes, each prepared once. */
  readonly #grantQueries = new Map<string, StatementSync>();
  /** What token requests read (client and grant), kept while the database is unchanged. */
  readonly #tokenReads: UntilChangedCache<ClientWithGrant>;

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  constructor(filename: string) {
    this.#db = new DatabaseSync(filename);
    this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec("PRAGMA synchronous = NORMAL");
    // An in-memory database (store tests) has no WAL file and nothing to make durable.
    this.#wal = filename === ":memory:" ? noSync : new GroupSync(`${filename}-wal`);
    this.#db.exec("PRAGMA foreign_keys = ON");
    this.#db.exec("PRAGMA busy_timeout = 5000");
    try {
      migrate(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    const prepare = (sql: string) => this.#db.prepare(sql);
    this.#statements = {
      insertProvider: prepare(
        "INSERT INTO providers (id, name, description, signing_algorithm, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      listProviders: prepare("SELECT * FROM providers ORDER BY created_at, rowid"),
      getProvider: prepare("SELECT * FROM providers WHERE id = ?"),
      deleteProvider: prepare("DELETE FROM providers WHERE id = ?"),
      getTenantProvider: prepare(
        "SELECT providers.* FROM tenant JOIN providers ON providers.id = tenant.provider_id WHERE tenant.singleton = 1",
      ),
      insertTenant: prepare("INSERT INTO tenant (singleton, provider_id) VALUES (1, ?)"),
      setProviderAlgorithm: prepare(
        "UPDATE providers SET signing_algorithm = ?, updated_at = ? WHERE id = ?",
      ),

      insertKey: prepare(
        "INSERT INTO signing_keys (kid, provider_id, algorithm, public_jwk, encrypted_private_key, status, created_at, retires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      listKeys: prepare(
        "SELECT * FROM signing_keys WHERE provider_id = ? ORDER BY created_at DESC, rowid DESC",
      ),
      retireActiveKey: prepare(
        "UPDATE signing_keys SET status = 'retiring', retires_at = ? WHERE provider_id = ? AND status = 'active'",
      ),
      dropRetiredKeys: prepare(
        "DELETE FROM signing_keys WHERE provider_id = ? AND status = 'retiring' AND retires_at <= ?",
      ),

      insertClient: prepare(
        "INSERT INTO clients (id, client_id, provider_id, name, audience, subject, secret_hash, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      getClientByClientId: prepare("SELECT * FROM clients WHERE client_id = ?"),
      getClientWithGrant: prepare(clientWithGrantSql((position) => `?${position}`)),
      // Commits by other connections (another process on the file) move the first, this
      // connection's own writes the second.
      dataVersion: prepare("PRAGMA data_version"),
      totalChanges: prepare("SELECT total_changes()"),
      replaceClient: prepare(
        "UPDATE clients SET client_id = ?, name = ?, secret_hash = ?, metadata = ?, updated_at = ? WHERE id = ?",
      ),
      dropExpiredAssertionIds: prepare("DELETE FROM client_assertion_ids WHERE expires_at <= ?"),
      insertAssertionId: prepare(
        "INSERT INTO client_assertion_ids (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (client_id, jti) DO NOTHING",
      ),
      listClients: prepare(
        "SELECT * FROM clients WHERE provider_id = ? ORDER BY created_at, rowid",
      ),
      getClient: prepare("SELECT * FROM clients WHERE id = ?"),
      deleteClient: prepare("DELETE FROM clients WHERE id = ?"),

      insertDomain: prepare(
        "INSERT INTO domains (id, provider_id, domain, verification_value, verified, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (domain) DO NOTHING",
      ),
      listDomains: prepare(
        "SELECT * FROM domains WHERE provider_id = ? ORDER BY created_at, rowid",
      ),
      getDomain: prepare("SELECT * FROM domains WHERE id = ?"),
      deleteDomain: prepare("DELETE FROM domains WHERE id = ?"),
      verifyDomain: prepare(
        "UPDATE domains SET verified = 1, verified_at = ?, updated_at = ? WHERE id = ? AND verified = 0",
      ),
      findVerifiedDomain: prepare("SELECT * FROM domains WHERE domain = ? AND verified = 1"),
      issuerDomain: prepare(
        "SELECT * FROM domains WHERE provider_id = ? AND verified = 1 ORDER BY verified_at, rowid LIMIT 1",
      ),

      insertGrant: prepare(
        "INSERT INTO client_grants (id, client_id, audience, scope, organization_usage, allow_any_organization, subject_type, authorization_details_types, allow_all_scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      getGrant: prepare(`SELECT ${GRANT_COLUMNS} FROM client_grants WHERE id = ?`),
      findGrant: prepare(
        `SELECT ${GRANT_COLUMNS} FROM client_grants WHERE client_id = ? AND audience = ? AND COALESCE(subject_type, 'client') = ?`,
      ),
      updateGrant: prepare(
        "UPDATE client_grants SET scope = ?, organization_usage = ?, allow_any_organization = ?, authorization_details_types = ?, allow_all_scopes = ? WHERE id = ?",
      ),
      deleteGrant: prepare("DELETE FROM client_grants WHERE id = ?"),

      dropExpiredKeys: prepare("DELETE FROM idempotency_keys WHERE expires_at <= ?"),
      getIdempotencyKey: prepare("SELECT * FROM idempotency_keys WHERE caller = ? AND key = ?"),
      insertIdempotencyKey: prepare(
        "INSERT INTO idempotency_keys (caller, key, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      ),
      completeIdempotencyKey: prepare(
        "UPDATE idempotency_keys SET response_status = ?, response_content_type = ?, response_body = ? WHERE caller = ? AND key = ?",
      ),
      releaseIdempotencyKey: prepare(
        "DELETE FROM idempotency_keys WHERE caller = ? AND key = ? AND response_status IS NULL",
      ),
    };
    this.#statements.dataVersion!.setReturnArrays(true);
    this.#statements.totalChanges!.setReturnArrays(true);
    this.#tokenReads = new UntilChangedCache(() => {
      const [version] = this.#statements.dataVersion!.get() as unknown as [number];
      const [changes] = this.#statements.totalChanges!.get() as unknown as [number];
      return `${version}:${changes}`;
    });
  }

  async createProvider(provider: ProviderRecord, key: SigningKeyRecord): Promise<void> {
    this.#transaction(() => {
      this.#insertProvider(provider);
      this.#insertKey(key);
    });
    await this.#wal.sync();
  }

  async ensureTenantProvider(
    provider: ProviderRecord,
    key: SigningKeyRecord,
  ): Promise<ProviderRecord> {
    return this.#durable(
      this.#transaction(() => {
        const existing = this.#statements.getTenantProvider!.get();
        if (existing) return toProvider(existing);
        this.#insertProvider(provider);
        this.#insertKey(key);
        this.#statements.insertTenant!.run(provider.id);
        return provider;
      }),
    );
  }

  async getTenantProvider(): Promise<ProviderRecord | undefined> {
    const row = this.#statements.getTenantProvider!.get();
    return row ? toProvider(row) : undefined;
  }

  async listProviders(): Promise<ProviderRecord[]> {
    return this.#statements.listProviders!.all().map(toProvider);
  }

  async getProvider(id: string): Promise<ProviderRecord | undefined> {
    const row = this.#statements.getProvider!.get(id);
    return row ? toProvider(row) : undefined;
  }

  async deleteProvider(id: string): Promise<boolean> {
    return this.#durable(this.#statements.deleteProvider!.run(id).changes > 0);
  }

  async listSigningKeys(providerId: string): Promise<SigningKeyRecord[]> {
    return this.#statements.listKeys!.all(providerId).map(toSigningKey);
  }

  async rotateSigningKey(key: SigningKeyRecord, retiresAt: string, now: string): Promise<boolean> {
    return this.#durable(
      this.#transaction(() => {
        if (!this.#statements.getProvider!.get(key.providerId)) return false;
        this.#statements.dropRetiredKeys!.run(key.providerId, now);
        this.#statements.retireActiveKey!.run(retiresAt, key.providerId);
        this.#insertKey(key);
        this.#statements.setProviderAlgorithm!.run(key.algorithm, now, key.providerId);
        return true;
      }),
    );
  }

  async createClient(client: ClientRecord): Promise<CreateClientOutcome> {
    return this.#durable(
      this.#transaction(() => {
        if (!this.#statements.getProvider!.get(client.providerId)) return "inexistent_provider";
        if (this.#statements.getClientByClientId!.get(client.clientId)) return "conflict";
        this.#statements.insertClient!.run(
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
        );
        return "created";
      }),
    );
  }

  async getClientByClientId(clientId: string): Promise<ClientRecord | undefined> {
    const row = this.#statements.getClientByClientId!.get(clientId);
    return row ? toClient(row) : undefined;
  }

  async getClientWithGrant(
    clientId: string,
    audience: string,
  ): Promise<ClientWithGrant | undefined> {
    // The join costs several times the change check (two one-value statements), and a token
    // request reads the same client and grant as the last one until something is written.
    // Kept only when the grant exists: a request naming any audience cannot fill the cache.
    return this.#tokenReads.get(
      JSON.stringify([clientId, audience]),
      () => {
        const row = this.#statements.getClientWithGrant!.get(clientId, audience);
        return row ? toClientWithGrant(row) : undefined;
      },
      (found) => found.grant !== undefined,
    );
  }

  async replaceClient(client: ClientRecord): Promise<ReplaceClientOutcome> {
    return this.#durable(
      this.#transaction(() => {
        if (!this.#statements.getClient!.get(client.id)) return "inexistent_client";
        const holder = this.#statements.getClientByClientId!.get(client.clientId);
        if (holder && text(holder.id) !== client.id) return "conflict";
        this.#statements.replaceClient!.run(
          client.clientId,
          client.name,
          client.secretHash,
          JSON.stringify(client.metadata),
          client.updatedAt,
          client.id,
        );
        return "replaced";
      }),
    );
  }

  async useClientAssertionId(
    clientId: string,
    jti: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean> {
    return this.#durable(
      this.#transaction(() => {
        this.#statements.dropExpiredAssertionIds!.run(now);
        return this.#statements.insertAssertionId!.run(clientId, jti, expiresAt).changes > 0;
      }),
    );
  }

  async listClients(providerId: string): Promise<ClientRecord[]> {
    return this.#statements.listClients!.all(providerId).map(toClient);
  }

  async getClient(id: string): Promise<ClientRecord | undefined> {
    const row = this.#statements.getClient!.get(id);
    return row ? toClient(row) : undefined;
  }

  async deleteClient(id: string): Promise<boolean> {
    return this.#durable(this.#statements.deleteClient!.run(id).changes > 0);
  }

  async createDomain(
    domain: DomainRecord,
  ): Promise<"created" | "conflict" | "inexistent_provider"> {
    return this.#durable(
      this.#transaction(() => {
        if (!this.#statements.getProvider!.get(domain.providerId)) return "inexistent_provider";
        const result = this.#statements.insertDomain!.run(
          domain.id,
          domain.providerId,
          domain.domain,
          domain.verificationValue,
          domain.verified ? 1 : 0,
          domain.verifiedAt ?? null,
          domain.createdAt,
          domain.updatedAt,
        );
        return result.changes > 0 ? "created" : "conflict";
      }),
    );
  }

  async listDomains(providerId: string): Promise<DomainRecord[]> {
    return this.#statements.listDomains!.all(providerId).map(toDomain);
  }

  async getDomain(id: string): Promise<DomainRecord | undefined> {
    const row = this.#statements.getDomain!.get(id);
    return row ? toDomain(row) : undefined;
  }

  async deleteDomain(id: string): Promise<boolean> {
    return this.#durable(this.#statements.deleteDomain!.run(id).changes > 0);
  }

  async markDomainVerified(id: string, at: string): Promise<DomainRecord | undefined> {
    return this.#durable(
      this.#transaction(() => {
        this.#statements.verifyDomain!.run(at, at, id);
        const row = this.#statements.getDomain!.get(id);
        return row ? toDomain(row) : undefined;
      }),
    );
  }

  async findVerifiedDomain(domain: string): Promise<DomainRecord | undefined> {
    const row = this.#statements.findVerifiedDomain!.get(domain);
    return row ? toDomain(row) : undefined;
  }

  async getIssuerDomain(providerId: string): Promise<DomainRecord | undefined> {
    const row = this.#statements.issuerDomain!.get(providerId);
    return row ? toDomain(row) : undefined;
  }

  async createClientGrant(grant: ClientGrantRecord): Promise<CreateClientGrantOutcome> {
    return this.#durable(
      this.#transaction(() => {
        if (!this.#statements.getClient!.get(grant.clientId)) return "inexistent_client";
        const duplicate = this.#statements.findGrant!.get(
          grant.clientId,
          grant.audience,
          grant.subjectType ?? "client",
        );
        if (duplicate) return "conflict";
        this.#statements.insertGrant!.run(
          grant.id,
          grant.clientId,
          grant.audience,
          jsonOrNull(grant.scope),
          grant.organizationUsage ?? null,
          booleanOrNull(grant.allowAnyOrganization),
          grant.subjectType ?? null,
          jsonOrNull(grant.authorizationDetailsTypes),
          booleanOrNull(grant.allowAllScopes),
        );
        return "created";
      }),
    );
  }

  async getClientGrant(id: string): Promise<ClientGrantRecord | undefined> {
    const row = this.#statements.getGrant!.get(id);
    return row ? toClientGrant(row) : undefined;
  }

  async findClientGrant(
    clientId: string,
    audience: string,
    subjectType: SubjectType,
  ): Promise<ClientGrantRecord | undefined> {
    const row = this.#statements.findGrant!.get(clientId, audience, subjectType);
    return row ? toClientGrant(row) : undefined;
  }

  async listClientGrants(
    filter: ClientGrantFilter,
    page: ClientGrantPage,
  ): Promise<ClientGrantListing> {
    const query = clientGrantListQuery(filter, page);
    const rows = this.#grantQuery(query.sql).all(...query.params);
    return grantListing(rows, page, toClientGrant);
  }

  async countClientGrants(filter: ClientGrantFilter): Promise<number> {
    const query = clientGrantCountQuery(filter);
    const row = this.#grantQuery(query.sql).get(...query.params);
    return Number(row?.total ?? 0);
  }

  async updateClientGrant(
    id: string,
    update: (current: ClientGrantRecord) => ClientGrantRecord,
  ): Promise<ClientGrantRecord | undefined> {
    return this.#durable(
      this.#transaction(() => {
        const row = this.#statements.getGrant!.get(id);
        if (!row) return undefined;
        const next = update(toClientGrant(row));
        this.#statements.updateGrant!.run(
          jsonOrNull(next.scope),
          next.organizationUsage ?? null,
          booleanOrNull(next.allowAnyOrganization),
          jsonOrNull(next.authorizationDetailsTypes),
          booleanOrNull(next.allowAllScopes),
          id,
        );
        return next;
      }),
    );
  }

  async deleteClientGrant(id: string): Promise<boolean> {
    return this.#durable(this.#statements.deleteGrant!.run(id).changes > 0);
  }

  async claimIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyClaim> {
    return this.#durable(
      this.#transaction(() => {
        // Sweeping here keeps the table bounded without a timer; the index makes it cheap.
        this.#statements.dropExpiredKeys!.run(now);
        const row = this.#statements.getIdempotencyKey!.get(record.caller, record.key);
        if (row) return { kind: "existing", record: toIdempotencyRecord(row) };
        this.#statements.insertIdempotencyKey!.run(
          record.caller,
          record.key,
          record.fingerprint,
          record.createdAt,
          record.expiresAt,
        );
        return { kind: "claimed" };
      }),
    );
  }

  async completeIdempotencyKey(
    caller: string,
    key: string,
    response: NonNullable<IdempotencyRecord["response"]>,
  ): Promise<void> {
    this.#statements.completeIdempotencyKey!.run(
      response.status,
      response.contentType,
      response.sealedBody,
      caller,
      key,
    );
    await this.#wal.sync();
  }

  async releaseIdempotencyKey(caller: string, key: string): Promise<void> {
    this.#statements.releaseIdempotencyKey!.run(caller, key);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    await this.#wal.close();
  }

  /** `result`, once the commit that produced it is on disk (see the class comment). */
  async #durable<T>(result: T): Promise<T> {
    await this.#wal.sync();
    return result;
  }

  #insertProvider(provider: ProviderRecord): void {
    this.#statements.insertProvider!.run(...providerRowValues(provider));
  }

  #insertKey(key: SigningKeyRecord): void {
    this.#statements.insertKey!.run(...signingKeyRowValues(key));
  }

  #grantQuery(sql: string): StatementSync {
    let statement = this.#grantQueries.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#grantQueries.set(sql, statement);
    }
    return statement;
  }

  // BEGIN IMMEDIATE takes the write lock up front, so a read-then-write body cannot be
  // interleaved by another connection (a second process on the same file).
  #transaction<T>(body: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }
}

function migrate(db: DatabaseSync): void {
  const current = Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(
      `the database schema (version ${current}) is newer than this server (version ${SQLITE_MIGRATIONS.length})`,
    );
  }
  for (let version = current + 1; version <= SQLITE_MIGRATIONS.length; version++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(SQLITE_MIGRATIONS[version - 1]!);
      db.exec(`PRAGMA user_version = ${version}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}

/** A client-grant listing as SQL; exported so a test can check every shape uses an index. */
export function clientGrantListQuery(
  filter: ClientGrantFilter,
  page: ClientGrantPage,
): { sql: string; params: SQLInputValue[] } {
  const { where, params } = grantWhere(filter);
  const select = `SELECT ${GRANT_COLUMNS} FROM client_grants`;
  switch (page.kind) {
    case "after":
      return {
        sql: `${select} WHERE ${[...where, "position > ?"].join(" AND ")} ORDER BY position LIMIT ?`,
        params: [...params, decodePositionCursor(page.after), page.limit + 1],
      };
    case "offset":
      return {
        sql: `${select} ${whereClause(where)} ORDER BY position LIMIT ? OFFSET ?`,
        params: [...params, page.limit, page.offset],
      };
    case "all":
      return { sql: `${select} ${whereClause(where)} ORDER BY position`, params };
  }
}

/** The count of a client-grant listing as SQL. */
export function clientGrantCountQuery(filter: ClientGrantFilter): {
  sql: string;
  params: SQLInputValue[];
} {
  const { where, params } = grantWhere(filter);
  return { sql: `SELECT COUNT(*) AS total FROM client_grants ${whereClause(where)}`, params };
}

function whereClause(where: readonly string[]): string {
  return where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
}

function grantWhere(filter: ClientGrantFilter): { where: string[]; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (filter.audience !== undefined) {
    where.push("audience = ?");
    params.push(filter.audience);
  }
  if (filter.clientId !== undefined) {
    where.push("client_id = ?");
    params.push(filter.clientId);
  }
  if (filter.allowAnyOrganization !== undefined) {
    where.push("COALESCE(allow_any_organization, 0) = ?");
    params.push(filter.allowAnyOrganization ? 1 : 0);
  }
  if (filter.subjectType !== undefined) {
    where.push("COALESCE(subject_type, 'client') = ?");
    params.push(filter.subjectType);
  }
  return { where, params };
}

function jsonOrNull(value: readonly string[] | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function booleanOrNull(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}

/** SQLite has no boolean, array or JSON type: integers 0/1 and JSON text. */
const {
  toProvider,
  toSigningKey,
  toClient,
  toDomain,
  toIdempotencyRecord,
  toClientGrant,
  toClientWithGrant,
} = rowRecords({
  optionalBoolean: (value) =>
    value === null || value === undefined ? undefined : Number(value) === 1,
  optionalList: (value) =>
    value === null || value === undefined ? undefined : (JSON.parse(String(value)) as string[]),
  json: (value) => JSON.parse(String(value)),
  bytes: (value) => {
    if (value instanceof Uint8Array) return value;
    throw new TypeError("expected a BLOB column");
  },
});
