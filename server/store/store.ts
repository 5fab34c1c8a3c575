import type { OrganizationUsage, SubjectType } from "../../sdk/schemas/client-grant";
import type { OAuthClientMetadata } from "../../sdk/schemas/oauth-client-metadata";
import type { SigningAlgorithm } from "../../sdk/schemas/provider";

// Storage records. They are the server's own shapes (camelCase, secrets hashed or encrypted),
// not wire types: routes map them to the contract's response schemas.

export interface ProviderRecord {
  id: string;
  name: string;
  description: string;
  /** Algorithm of the active signing key. */
  signingAlgorithm: SigningAlgorithm;
  createdAt: string;
  updatedAt: string;
}

export interface SigningKeyRecord {
  kid: string;
  providerId: string;
  algorithm: SigningAlgorithm;
  /** The public JWK as JSON text (RFC 7517 §4). */
  publicJwk: string;
  /** PKCS#8 DER of the private key, sealed with the master key (AES-256-GCM). */
  encryptedPrivateKey: Uint8Array;
  status: "active" | "retiring";
  createdAt: string;
  /** When a retiring key leaves the JWKS: every token it signed has expired by then. */
  retiresAt?: string;
}

/**
 * A client, whichever API created it (issue #10: one client model). `id` is the management id
 * (path segment of every dialect); `clientId` is the OAuth `client_id` it authenticates with
 * (equal to `id` for useGrant clients, chosen or generated for nevisMeta ones).
 */
export interface ClientRecord {
  id: string;
  /** The OAuth `client_id`; unique across the server. */
  clientId: string;
  providerId: string;
  name: string;
  /** The useGrant dialect's default audience; empty for clients of other dialects. */
  audience: string;
  /** The `sub` claim of the client's tokens. */
  subject: string;
  /** SHA-256 of the client secret; the secret itself is never stored. */
  secretHash: Uint8Array;
  /** The OAuth metadata the issuer enforces, complete (defaults filled in). */
  metadata: OAuthClientMetadata;
  createdAt: string;
  updatedAt: string;
}

/** A client and its grant for one audience and subject type `client`, as a token request reads them. */
export interface ClientWithGrant {
  client: ClientRecord;
  grant: ClientGrantRecord | undefined;
}

/** `conflict`: the OAuth `client_id` is taken (by any client of the server). */
export type CreateClientOutcome = "created" | "inexistent_provider" | "conflict";
export type ReplaceClientOutcome = "replaced" | "inexistent_client" | "conflict";

export interface DomainRecord {
  id: string;
  providerId: string;
  /** Lower-cased host name. */
  domain: string;
  /** The value the `_grants-challenge.<domain>` TXT record must hold. */
  verificationValue: string;
  verified: boolean;
  verifiedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** A client grant. Optional fields are absent when the caller never set them. */
export interface ClientGrantRecord {
  id: string;
  clientId: string;
  audience: string;
  scope?: string[];
  organizationUsage?: OrganizationUsage;
  allowAnyOrganization?: boolean;
  subjectType?: SubjectType;
  authorizationDetailsTypes?: string[];
  allowAllScopes?: boolean;
}

export interface ClientGrantFilter {
  audience?: string;
  clientId?: string;
  /** Matches the effective value: an unset flag counts as false. */
  allowAnyOrganization?: boolean;
  /** Matches the effective value: an unset subject type counts as `client`. */
  subjectType?: SubjectType;
}

/**
 * Offset paging, or checkpoint paging after an opaque cursor. The cursor is made by the store
 * that lists (each store knows its own order) and means nothing to anyone else.
 */
export type ClientGrantPage =
  | { kind: "offset"; offset: number; limit: number }
  | { kind: "after"; after: string | undefined; limit: number }
  | { kind: "all" };

export interface ClientGrantListing {
  grants: ClientGrantRecord[];
  /** Cursor for the next checkpoint page; absent on the last page (and for other paging). */
  next?: string;
}

/** A checkpoint cursor this store did not issue; the route answers 400. */
export class InvalidCursorError extends Error {
  readonly code = "invalid_cursor";
  constructor() {
    super("from: is not a cursor this server issued");
  }
}

export type CreateClientGrantOutcome = "created" | "inexistent_client" | "conflict";

/**
 * A POST seen with an `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): who sent it
 * (`caller`, a digest, never a credential), the key, a fingerprint of method, path and body, and
 * once the handler finished, the answer to replay. The body is sealed with the master key, as a
 * stored answer may hold a client secret or an access token.
 */
export interface IdempotencyRecord {
  caller: string;
  key: string;
  fingerprint: string;
  /** When the request was first seen. */
  createdAt: string;
  /** After this the key is forgotten and may be used again. */
  expiresAt: string;
  /** Absent while the first request is still being handled. */
  response?: { status: number; contentType: string; sealedBody: Uint8Array };
}

/** What {@link Store.claimIdempotencyKey} found. */
export type IdempotencyClaim =
  { kind: "claimed" } | { kind: "existing"; record: IdempotencyRecord };

/**
 * Persistence behind the routes. Every method is atomic: a mutation is applied whole or not at
 * all, and a resolved promise means it is durable. Methods are async so a networked store
 * (PostgreSQL for several server instances) can implement the same interface.
 */
export interface Store {
  /** Creates a provider together with its first signing key. */
  createProvider(provider: ProviderRecord, key: SigningKeyRecord): Promise<void>;
  listProviders(): Promise<ProviderRecord[]>;
  getProvider(id: string): Promise<ProviderRecord | undefined>;
  /** Deletes a provider with its clients, their client grants, its domains and keys. */
  deleteProvider(id: string): Promise<boolean>;

  /**
   * The tenant (issue #11): the provider whose issuer is the server root, which owns the Auth0
   * applications (`/api/v2/clients`) and signs Management API tokens. Made on first use:
   * `provider` and `key` are stored and recorded as the tenant in one transaction, unless a
   * tenant exists already (made by this or another instance), which is returned instead; so
   * every instance on one store agrees on one tenant and its keys. Deleting the provider ends
   * the tenant; the next call makes a new one.
   */
  ensureTenantProvider(provider: ProviderRecord, key: SigningKeyRecord): Promise<ProviderRecord>;
  /** The tenant's provider, if one has been made. */
  getTenantProvider(): Promise<ProviderRecord | undefined>;

  /** The provider's keys, newest first. */
  listSigningKeys(providerId: string): Promise<SigningKeyRecord[]>;
  /**
   * Makes `key` the active key; the previously active key retires at `retiresAt`; keys whose
   * retirement passed before `now` are removed. False when the provider does not exist.
   */
  rotateSigningKey(key: SigningKeyRecord, retiresAt: string, now: string): Promise<boolean>;

  /**
   * Inserts a client: `inexistent_provider` when its provider no longer exists, `conflict` when
   * its `clientId` is already any client's. Nothing is written unless `created`.
   */
  createClient(client: ClientRecord): Promise<CreateClientOutcome>;
  /** The provider's clients, oldest first. */
  listClients(providerId: string): Promise<ClientRecord[]>;
  /** By management id. */
  getClient(id: string): Promise<ClientRecord | undefined>;
  /** By OAuth `client_id` (what a token request presents). */
  getClientByClientId(clientId: string): Promise<ClientRecord | undefined>;
  /**
   * By OAuth `client_id`, with the client's grant for `audience` and subject type `client`: what a
   * client_credentials token request reads, in one query.
   */
  getClientWithGrant(clientId: string, audience: string): Promise<ClientWithGrant | undefined>;
  /**
   * Replaces the definition of client `client.id`: `clientId`, `name`, `secretHash`, `metadata`
   * and `updatedAt` are written; `providerId`, `audience`, `subject` and `createdAt` are kept as
   * stored. `conflict` when the new `clientId` belongs to another client. Client grants stay.
   */
  replaceClient(client: ClientRecord): Promise<ReplaceClientOutcome>;
  /** Deletes a client and its client grants. */
  deleteClient(id: string): Promise<boolean>;

  /**
   * Records the `jti` of an assertion of client `id` (the management id; RFC 7523 §3, item 7)
   * until `expiresAt` (epoch seconds), in one atomic step: false when the same client already
   * used that `jti` and it has
   * not expired at `now` (a replay), true when it is new. Expired records may be purged on the
   * way; a record never outlives its client.
   */
  useClientAssertionId(id: string, jti: string, expiresAt: number, now: number): Promise<boolean>;

  /** `conflict` when the domain name is already registered (to any provider). */
  createDomain(domain: DomainRecord): Promise<"created" | "conflict" | "inexistent_provider">;
  listDomains(providerId: string): Promise<DomainRecord[]>;
  getDomain(id: string): Promise<DomainRecord | undefined>;
  deleteDomain(id: string): Promise<boolean>;
  markDomainVerified(id: string, at: string): Promise<DomainRecord | undefined>;
  /** The verified domain record for a host name, if any. */
  findVerifiedDomain(domain: string): Promise<DomainRecord | undefined>;
  /** The provider's issuer domain: its earliest verified custom domain. */
  getIssuerDomain(providerId: string): Promise<DomainRecord | undefined>;

  createClientGrant(grant: ClientGrantRecord): Promise<CreateClientGrantOutcome>;
  getClientGrant(id: string): Promise<ClientGrantRecord | undefined>;
  findClientGrant(
    clientId: string,
    audience: string,
    subjectType: SubjectType,
  ): Promise<ClientGrantRecord | undefined>;
  listClientGrants(filter: ClientGrantFilter, page: ClientGrantPage): Promise<ClientGrantListing>;
  countClientGrants(filter: ClientGrantFilter): Promise<number>;
  /**
   * Applies `update` to the current grant inside one transaction; if `update` throws nothing is
   * written and the error propagates. Undefined when the grant does not exist.
   */
  updateClientGrant(
    id: string,
    update: (current: ClientGrantRecord) => ClientGrantRecord,
  ): Promise<ClientGrantRecord | undefined>;
  deleteClientGrant(id: string): Promise<boolean>;

  /**
   * Records `record` (without a response) unless an unexpired record of the same caller and key
   * exists, which is returned instead. Expired records (`expiresAt` ≤ `now`) are replaced.
   */
  claimIdempotencyKey(record: IdempotencyRecord, now: string): Promise<IdempotencyClaim>;
  /** Stores the answer of a claimed key; it is replayed to every later request with that key. */
  completeIdempotencyKey(
    caller: string,
    key: string,
    response: NonNullable<IdempotencyRecord["response"]>,
  ): Promise<void>;
  /** Forgets a claimed key whose request did not finish with an answer worth replaying. */
  releaseIdempotencyKey(caller: string, key: string): Promise<void>;

  close(): Promise<void>;
}
