import type { OrganizationUsage, SubjectType } from "../../sdk/schemas/client-grant";
import type { SigningAlgorithm } from "../../sdk/schemas/provider";
import type {
  ClientGrantRecord,
  ClientRecord,
  ClientWithGrant,
  DomainRecord,
  IdempotencyRecord,
  ProviderRecord,
  SigningKeyRecord,
} from "./store";
import { parseStoredMetadata } from "./parsed-metadata";

/** A row as a driver returns it: column name to value. */
export type StoreRow = Readonly<Record<string, unknown>>;

/**
 * How one database hands back the column types whose encoding differs between stores: SQLite has
 * no boolean, array or JSON type (integers and JSON text), PostgreSQL returns them decoded.
 * Everything else (text, timestamps as ISO text, integers) reads the same everywhere.
 */
export interface ColumnDecoding {
  /** A nullable BOOLEAN column; `undefined` for NULL. */
  optionalBoolean(value: unknown): boolean | undefined;
  /** A nullable list-of-strings column; `undefined` for NULL. */
  optionalList(value: unknown): string[] | undefined;
  /** A JSON document column. */
  json(value: unknown): unknown;
  /** A binary column (BLOB / BYTEA). */
  bytes(value: unknown): Uint8Array;
}

/** Turns rows into the `Store` records; one mapping for both stores, so they cannot drift. */
export interface RowRecords {
  toProvider(row: StoreRow): ProviderRecord;
  toSigningKey(row: StoreRow): SigningKeyRecord;
  toClient(row: StoreRow): ClientRecord;
  toDomain(row: StoreRow): DomainRecord;
  toIdempotencyRecord(row: StoreRow): IdempotencyRecord;
  toClientGrant(row: StoreRow): ClientGrantRecord;
  /** A row of `clientWithGrantSql`: the client, and its grant when the join found one. */
  toClientWithGrant(row: StoreRow): ClientWithGrant;
}

export function rowRecords(columns: ColumnDecoding): RowRecords {
  const records: Omit<RowRecords, "toClientWithGrant"> = {
    toProvider: (row) => ({
      id: text(row.id),
      name: text(row.name),
      description: text(row.description),
      signingAlgorithm: text(row.signing_algorithm) as SigningAlgorithm,
      createdAt: text(row.created_at),
      updatedAt: text(row.updated_at),
    }),

    toSigningKey: (row) => {
      const record: SigningKeyRecord = {
        kid: text(row.kid),
        providerId: text(row.provider_id),
        algorithm: text(row.algorithm) as SigningAlgorithm,
        publicJwk: text(row.public_jwk),
        encryptedPrivateKey: columns.bytes(row.encrypted_private_key),
        status: text(row.status) as SigningKeyRecord["status"],
        createdAt: text(row.created_at),
      };
      const retiresAt = optionalText(row.retires_at);
      if (retiresAt !== undefined) record.retiresAt = retiresAt;
      return record;
    },

    toClient: (row) => ({
      id: text(row.id),
      clientId: text(row.client_id),
      providerId: text(row.provider_id),
      name: text(row.name),
      audience: text(row.audience),
      subject: text(row.subject),
      secretHash: columns.bytes(row.secret_hash),
      // Parsed with the stored shape's schema: a row written by a future version with fields this
      // one does not know still reads (zod strips them), and a corrupt one fails loudly. Once
      // per stored version (./parsed-metadata.ts).
      metadata: parseStoredMetadata(row.metadata, columns.json),
      createdAt: text(row.created_at),
      updatedAt: text(row.updated_at),
    }),

    toDomain: (row) => {
      const record: DomainRecord = {
        id: text(row.id),
        providerId: text(row.provider_id),
        domain: text(row.domain),
        verificationValue: text(row.verification_value),
        verified: columns.optionalBoolean(row.verified) === true,
        createdAt: text(row.created_at),
        updatedAt: text(row.updated_at),
      };
      const verifiedAt = optionalText(row.verified_at);
      if (verifiedAt !== undefined) record.verifiedAt = verifiedAt;
      return record;
    },

    toIdempotencyRecord: (row) => {
      const record: IdempotencyRecord = {
        caller: text(row.caller),
        key: text(row.key),
        fingerprint: text(row.fingerprint),
        createdAt: text(row.created_at),
        expiresAt: text(row.expires_at),
      };
      if (row.response_status !== null && row.response_status !== undefined) {
        record.response = {
          status: Number(row.response_status),
          contentType: text(row.response_content_type),
          sealedBody: columns.bytes(row.response_body),
        };
      }
      return record;
    },

    toClientGrant: clientGrantReader(columns, ""),
  };
  const joinedGrant = clientGrantReader(columns, "grant_");
  return {
    ...records,
    toClientWithGrant: (row) => {
      const client = records.toClient(row);
      if (row.grant_id === null || row.grant_id === undefined) return { client, grant: undefined };
      return { client, grant: joinedGrant(row) };
    },
  };
}

/** The columns of a client grant as both stores select them. */
const GRANT_COLUMN_NAMES = [
  "position",
  "id",
  "client_id",
  "audience",
  "scope",
  "organization_usage",
  "allow_any_organization",
  "subject_type",
  "authorization_details_types",
  "allow_all_scopes",
] as const;

/** {@link GRANT_COLUMN_NAMES} as a select list. */
export const GRANT_COLUMNS = GRANT_COLUMN_NAMES.join(", ");

/**
 * One query for a token request: the client with OAuth `client_id` = parameter 1, joined with its
 * client grant for audience = parameter 2 and subject type `client` (the natural-key index), the
 * grant's columns prefixed `grant_`. `parameter(n)` writes the store's placeholder (`?1`, `$1`).
 * Two lookups by key would cost two trips through the driver for what one join answers.
 */
export function clientWithGrantSql(parameter: (position: 1 | 2) => string): string {
  const grantColumns = GRANT_COLUMN_NAMES.map((column) => `g.${column} AS grant_${column}`);
  return (
    `SELECT clients.*, ${grantColumns.join(", ")} FROM clients` +
    ` LEFT JOIN client_grants g ON g.client_id = clients.id AND g.audience = ${parameter(2)}` +
    ` AND COALESCE(g.subject_type, 'client') = 'client'` +
    ` WHERE clients.client_id = ${parameter(1)}`
  );
}

/**
 * Reads a client grant from columns named `<prefix><column>`: `""` for the grant's own table,
 * `grant_` where a join brings its columns beside a client's.
 */
function clientGrantReader(
  columns: ColumnDecoding,
  prefix: "" | "grant_",
): (row: StoreRow) => ClientGrantRecord {
  const name = Object.fromEntries(
    GRANT_COLUMN_NAMES.map((column) => [column, `${prefix}${column}`]),
  ) as Record<(typeof GRANT_COLUMN_NAMES)[number], string>;
  return (row) => {
    const record: ClientGrantRecord = {
      id: text(row[name.id]),
      clientId: text(row[name.client_id]),
      audience: text(row[name.audience]),
    };
    const scope = columns.optionalList(row[name.scope]);
    if (scope !== undefined) record.scope = scope;
    const organizationUsage = optionalText(row[name.organization_usage]);
    if (organizationUsage !== undefined) {
      record.organizationUsage = organizationUsage as OrganizationUsage;
    }
    const allowAnyOrganization = columns.optionalBoolean(row[name.allow_any_organization]);
    if (allowAnyOrganization !== undefined) record.allowAnyOrganization = allowAnyOrganization;
    const subjectType = optionalText(row[name.subject_type]);
    if (subjectType !== undefined) record.subjectType = subjectType as SubjectType;
    const types = columns.optionalList(row[name.authorization_details_types]);
    if (types !== undefined) record.authorizationDetailsTypes = types;
    const allowAllScopes = columns.optionalBoolean(row[name.allow_all_scopes]);
    if (allowAllScopes !== undefined) record.allowAllScopes = allowAllScopes;
    return record;
  };
}

export function text(value: unknown): string {
  return String(value);
}

export function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** A statement parameter both drivers take: text, NULL or bytes. */
export type RowValue = string | null | Uint8Array;

/**
 * A provider's row as statement parameters, in the column order of both stores' insert:
 * `(id, name, description, signing_algorithm, created_at, updated_at)`.
 */
export function providerRowValues(provider: ProviderRecord): RowValue[] {
  return [
    provider.id,
    provider.name,
    provider.description,
    provider.signingAlgorithm,
    provider.createdAt,
    provider.updatedAt,
  ];
}

/**
 * A signing key's row as statement parameters, in the column order of both stores' insert:
 * `(kid, provider_id, algorithm, public_jwk, encrypted_private_key, status, created_at,
 * retires_at)`. Both drivers bind a Uint8Array as bytes (BLOB, BYTEA).
 */
export function signingKeyRowValues(key: SigningKeyRecord): RowValue[] {
  return [
    key.kid,
    key.providerId,
    key.algorithm,
    key.publicJwk,
    key.encryptedPrivateKey,
    key.status,
    key.createdAt,
    key.retiresAt ?? null,
  ];
}
