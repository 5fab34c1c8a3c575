import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  USEGRANT_CLIENT_METADATA,
  completeClientMetadata,
} from "../../sdk/schemas/oauth-client-metadata";
import type {
  ClientRecord,
  ProviderRecord,
  SigningKeyRecord,
  Store,
} from "../../server/store/store";

/**
 * The behaviour every {@link Store} must show for the client model (issue #10), as a suite over
 * a factory: call it once per implementation (SQLite here, PostgreSQL on its own branch).
 *
 * @example
 * ```ts
 * describeClientStoreContract("SqliteStore", async () => {
 *   const store = new SqliteStore(":memory:");
 *   return { store, close: () => store.close() };
 * });
 * ```
 */
export function describeClientStoreContract(
  name: string,
  open: () => Promise<{ store: Store; close: () => Promise<void> }>,
): void {
  describe(`${name}: the client model`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const provider: ProviderRecord = {
      id: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a0001",
      name: "issuer",
      description: "",
      signingAlgorithm: "RS256",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    const key: SigningKeyRecord = {
      kid: "kid-1",
      providerId: provider.id,
      algorithm: "RS256",
      publicJwk: "{}",
      encryptedPrivateKey: new Uint8Array([1, 2, 3]),
      status: "active",
      createdAt: provider.createdAt,
    };
    const client = (overrides: Partial<ClientRecord> = {}): ClientRecord => ({
      id: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a1001",
      clientId: "workload-a",
      providerId: provider.id,
      name: "workload",
      audience: "",
      subject: "subject-a",
      secretHash: new Uint8Array(32).fill(7),
      metadata: completeClientMetadata({
        grant_types: ["client_credentials"],
        access_token_ttl: 300,
        scopes: ["read"],
        metadata: [{ name: "client_name", locale: "de", value: "Arbeitslast" }],
      }),
      createdAt: provider.createdAt,
      updatedAt: provider.updatedAt,
      ...overrides,
    });

    beforeEach(async () => {
      ({ store, close } = await open());
      await store.createProvider(provider, key);
    });
    afterEach(() => close());

    it("stores a client's metadata whole and finds it by id and by OAuth client_id", async () => {
      expect(await store.createClient(client())).toBe("created");
      expect(await store.getClient(client().id)).toEqual(client());
      expect(await store.getClientByClientId("workload-a")).toEqual(client());
      expect(await store.getClientByClientId("nobody")).toBeUndefined();
      expect(await store.listClients(provider.id)).toEqual([client()]);
    });

    it("refuses a taken client_id and a vanished provider, writing nothing", async () => {
      await store.createClient(client());
      const twin = client({ id: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a1002", subject: "subject-b" });
      expect(await store.createClient(twin)).toBe("conflict");
      const orphan = client({
        id: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a1003",
        clientId: "orphan",
        subject: "subject-c",
        providerId: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a0009",
      });
      expect(await store.createClient(orphan)).toBe("inexistent_provider");
      expect(await store.listClients(provider.id)).toHaveLength(1);
      expect(await store.getClient(twin.id)).toBeUndefined();
    });

    it("replaces the definition but keeps provider, audience, subject and creation time", async () => {
      await store.createClient(client({ audience: "aud" }));
      const next = client({
        clientId: "workload-b",
        name: "renamed",
        audience: "ignored",
        subject: "ignored",
        createdAt: "2030-01-01T00:00:00.000Z",
        secretHash: new Uint8Array(32).fill(9),
        metadata: USEGRANT_CLIENT_METADATA,
        updatedAt: "2026-02-01T00:00:00.000Z",
      });
      expect(await store.replaceClient(next)).toBe("replaced");
      expect(await store.getClient(next.id)).toEqual({
        ...next,
        audience: "aud",
        subject: "subject-a",
        createdAt: provider.createdAt,
      });
      expect(await store.getClientByClientId("workload-a")).toBeUndefined();
      expect((await store.getClientByClientId("workload-b"))?.name).toBe("renamed");
    });

    it("refuses to replace onto another client's client_id or a missing client", async () => {
      await store.createClient(client());
      const other = client({
        id: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a1002",
        clientId: "other",
        subject: "subject-b",
      });
      await store.createClient(other);
      expect(await store.replaceClient({ ...other, clientId: "workload-a", name: "x" })).toBe(
        "conflict",
      );
      expect((await store.getClient(other.id))?.name).toBe("workload");
      expect(
        await store.replaceClient(client({ id: "6c0bc54b-3f37-4bb3-9d44-2b9a8f1a1009" })),
      ).toBe("inexistent_client");
    });

    it("accepts an assertion id once until it expires, per client", async () => {
      await store.createClient(client());
      const id = client().id;
      expect(await store.useClientAssertionId(id, "jti-1", 1_000, 900)).toBe(true);
      expect(await store.useClientAssertionId(id, "jti-1", 1_000, 950)).toBe(false);
      expect(await store.useClientAssertionId(id, "jti-2", 1_000, 950)).toBe(true);
      // Once expired, the record is gone and the id may be seen again.
      expect(await store.useClientAssertionId(id, "jti-1", 2_000, 1_000)).toBe(true);
    });

    it("forgets assertion ids with their client", async () => {
      await store.createClient(client());
      await store.useClientAssertionId(client().id, "jti-1", 1_000, 900);
      await store.deleteClient(client().id);
      await store.createClient(client());
      expect(await store.useClientAssertionId(client().id, "jti-1", 1_000, 900)).toBe(true);
    });
  });
}
