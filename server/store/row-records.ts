import type { OrganizationUsage, SubjectType } from "../../sdk/schemas/client-grant";
import type { SigningAlgorithm } from "../../sdk/schemas/provider";
import type {
  ClientGrantRecord,
  ClientRecord,
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
}

export function rowRecords(columns: ColumnDecoding): RowRecords {
  return {
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

    toClientGrant: (row) => {
      const record: ClientGrantRecord = {
        id: text(row.id),
        clientId: text(row.client_id),
        audience: text(row.audience),
      };
      const scope = columns.optionalList(row.scope);
      if (scope !== undefined) record.scope = scope;
      const organizationUsage = optionalText(row.organization_usage);
      if (organizationUsage !== undefined) {
        record.organizationUsage = organizationUsage as OrganizationUsage;
      }
      const allowAnyOrganization = columns.optionalBoolean(row.allow_any_organization);
      if (allowAnyOrganization !== undefined) record.allowAnyOrganization = allowAnyOrganization;
      const subjectType = optionalText(row.subject_type);
      if (subjectType !== undefined) record.subjectType = subjectType as SubjectType;
      const types = columns.optionalList(row.authorization_details_types);
      if (types !== undefined) record.authorizationDetailsTypes = types;
      const allowAllScopes = columns.optionalBoolean(row.allow_all_scopes);
      if (allowAllScopes !== undefined) record.allowAllScopes = allowAllScopes;
      return record;
    },
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
