import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../../server/keys/generate-signing-key";
import { newClientGrantId, newResourceId, newSubject } from "../../../server/secrets";
import { USEGRANT_CLIENT_METADATA } from "../../../sdk/schemas/oauth-client-metadata";
import { InvalidCursorError } from "../../../server/store/store";
import type {
  ClientGrantRecord,
  ClientRecord,
  DomainRecord,
  ProviderRecord,
  Store,
} from "../../../server/store/store";

/** Makes an empty store, and a way to throw it away afterwards. */
export type StoreFactory = () => Promise<{ store: Store; dispose(): Promise<void> }>;

const MASTER_KEY = Buffer.alloc(32, 1);

let clock = Date.parse("2026-06-01T00:00:00.000Z");
/** Strictly increasing ISO times, so "newest first" is never a tie. */
function tick(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

async function provider(store: Store, name = "Acme"): Promise<ProviderRecord> {
  const at = tick();
  const record: ProviderRecord = {
    id: newResourceId(),
    name,
    description: "",
    signingAlgorithm: "ES256",
    createdAt: at,
    updatedAt: at,
  };
  const key = await generateSigningKey({
    providerId: record.id,
    algorithm: "ES256",
    masterKey: MASTER_KEY,
    createdAt: at,
  });
  await store.createProvider(record, key);
  return record;
}

function clientOf(providerId: string): ClientRecord {
  const at = tick();
  const id = newResourceId();
  return {
    id,
    clientId: id,
    providerId,
    name: "worker",
    audience: "https://api.example.test",
    subject: newSubject(),
    secretHash: new Uint8Array(randomBytes(32)),
    metadata: USEGRANT_CLIENT_METADATA,
    createdAt: at,
    updatedAt: at,
  };
}

function grantOf(clientId: string, fields: Partial<ClientGrantRecord> = {}): ClientGrantRecord {
  return { id: newClientGrantId(), clientId, audience: "https://api.example.test", ...fields };
}

/**
 * A provider, a client of it and that client's grant for `https://api.example.test` (scope
 * `read:a`), all written through `store`.
 */
export async function clientWithGrant(
  store: Store,
): Promise<{ client: ClientRecord; grant: ClientGrantRecord }> {
  const owner = await provider(store);
  const client = clientOf(owner.id);
  await store.createClient(client);
  const grant = grantOf(client.id, { scope: ["read:a"] });
  await store.createClientGrant(grant);
  return { client, grant };
}

function domainOf(providerId: string, domain: string): DomainRecord {
  const at = tick();
  return {
    id: newResourceId(),
    providerId,
    domain,
    verificationValue: "grants-verification=abc",
    verified: false,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * What every {@link Store} must do, whatever keeps the data: run once per store
 * (store-sqlite.test.ts, store-postgres.test.ts). A new store method gets its cases here.
 */
export function describeStoreBehaviour(name: string, factory: StoreFactory): void {
  describe(`the ${name} store`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ store, dispose } = await factory());
    });
    afterAll(async () => {
      await store.close();
      await dispose();
    });

    it("keeps a provider with its first key, and lists providers oldest first", async () => {
      const first = await provider(store, "First");
      const second = await provider(store, "Second");
      expect(await store.getProvider(first.id)).toEqual(first);
      const ids = (await store.listProviders()).map((record) => record.id);
      expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
      const [key] = await store.listSigningKeys(first.id);
      expect(key).toMatchObject({ providerId: first.id, status: "active", algorithm: "ES256" });
      expect(key?.encryptedPrivateKey).toBeInstanceOf(Uint8Array);
      expect(await store.getProvider(newResourceId())).toBeUndefined();
    });

    it("rotates keys: the new key is active and listed first, the old one retires", async () => {
      const record = await provider(store);
      const [old] = await store.listSigningKeys(record.id);
      const now = tick();
      const next = await generateSigningKey({
        providerId: record.id,
        algorithm: "RS256",
        masterKey: MASTER_KEY,
        createdAt: now,
      });
      const retiresAt = new Date(clock + 3_600_000).toISOString();
      expect(await store.rotateSigningKey(next, retiresAt, now)).toBe(true);
      const keys = await store.listSigningKeys(record.id);
      expect(keys.map((key) => [key.kid, key.status, key.retiresAt])).toEqual([
        [next.kid, "active", undefined],
        [old!.kid, "retiring", retiresAt],
      ]);
      expect(Buffer.from(keys[0]!.encryptedPrivateKey)).toEqual(
        Buffer.from(next.encryptedPrivateKey),
      );
      expect((await store.getProvider(record.id))?.signingAlgorithm).toBe("RS256");
    });

    it("drops keys whose retirement has passed at the next rotation", async () => {
      const record = await provider(store);
      const rotate = async (retiresAt: string) => {
        const now = tick();
        const key = await generateSigningKey({
          providerId: record.id,
          algorithm: "ES256",
          masterKey: MASTER_KEY,
          createdAt: now,
        });
        await store.rotateSigningKey(key, retiresAt, now);
        return key;
      };
      await rotate(new Date(clock + 1500).toISOString()); // the first key retires soon
      tick();
      tick();
      const third = await rotate(new Date(clock + 3_600_000).toISOString());
      const keys = await store.listSigningKeys(record.id);
      expect(keys).toHaveLength(2);
      expect(keys[0]?.kid).toBe(third.kid);
    });

    it("refuses a rotation, a client and a domain for a provider that does not exist", async () => {
      const missing = newResourceId();
      const now = tick();
      const key = await generateSigningKey({
        providerId: missing,
        algorithm: "ES256",
        masterKey: MASTER_KEY,
        createdAt: now,
      });
      expect(await store.rotateSigningKey(key, now, now)).toBe(false);
      expect(await store.createClient(clientOf(missing))).toBe("inexistent_provider");
      expect(await store.createDomain(domainOf(missing, "missing.example.test"))).toBe(
        "inexistent_provider",
      );
    });

    it("keeps clients with their secret hash, lists them oldest first, deletes them", async () => {
      const owner = await provider(store);
      const first = clientOf(owner.id);
      const second = clientOf(owner.id);
      expect(await store.createClient(first)).toBe("created");
      expect(await store.createClient(second)).toBe("created");
      const stored = await store.getClient(first.id);
      expect(stored).toMatchObject({ ...first, secretHash: expect.any(Uint8Array) });
      expect(Buffer.from(stored!.secretHash)).toEqual(Buffer.from(first.secretHash));
      expect((await store.listClients(owner.id)).map((client) => client.id)).toEqual([
        first.id,
        second.id,
      ]);
      expect(await store.deleteClient(first.id)).toBe(true);
      expect(await store.deleteClient(first.id)).toBe(false);
      expect(await store.getClient(first.id)).toBeUndefined();
    });

    it("registers a domain name once across providers, and verifies it", async () => {
      const owner = await provider(store);
      const other = await provider(store);
      const name = `${randomBytes(4).toString("hex")}.example.test`;
      const domain = domainOf(owner.id, name);
      expect(await store.createDomain(domain)).toBe("created");
      expect(await store.createDomain(domainOf(other.id, name))).toBe("conflict");
      expect(await store.getDomain(domain.id)).toEqual(domain);
      expect(await store.findVerifiedDomain(name)).toBeUndefined();
      expect(await store.getIssuerDomain(owner.id)).toBeUndefined();

      const at = tick();
      const verified = await store.markDomainVerified(domain.id, at);
      expect(verified).toMatchObject({ verified: true, verifiedAt: at });
      // Verifying again keeps the first verification time.
      expect((await store.markDomainVerified(domain.id, tick()))?.verifiedAt).toBe(at);
      expect((await store.findVerifiedDomain(name))?.id).toBe(domain.id);

      const later = domainOf(owner.id, `later-${name}`);
      await store.createDomain(later);
      await store.markDomainVerified(later.id, tick());
      expect((await store.getIssuerDomain(owner.id))?.id).toBe(domain.id);
      expect((await store.listDomains(owner.id)).map((record) => record.id)).toEqual([
        domain.id,
        later.id,
      ]);
      expect(await store.deleteDomain(domain.id)).toBe(true);
      expect(await store.deleteDomain(domain.id)).toBe(false);
      expect(await store.markDomainVerified(domain.id, tick())).toBeUndefined();
    });

    it("keeps every field of a client grant, and leaves unset fields absent", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const full = grantOf(client.id, {
        scope: ["read:a", "write:b"],
        organizationUsage: "allow",
        allowAnyOrganization: true,
        subjectType: "user",
        authorizationDetailsTypes: ["payment"],
        allowAllScopes: false,
      });
      const bare = grantOf(client.id, { audience: "https://other.example.test" });
      expect(await store.createClientGrant(full)).toBe("created");
      expect(await store.createClientGrant(bare)).toBe("created");
      expect(await store.getClientGrant(full.id)).toEqual(full);
      expect(await store.getClientGrant(bare.id)).toEqual(bare);
      expect(await store.findClientGrant(client.id, full.audience, "user")).toEqual(full);
      expect(await store.findClientGrant(client.id, full.audience, "client")).toBeUndefined();
    });

    it("reads a client with its grant for one audience and subject type client, in one call", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const forClients = grantOf(client.id, { scope: ["read:a"] });
      const forUsers = grantOf(client.id, {
        audience: "https://users.example.test",
        subjectType: "user",
      });
      await store.createClientGrant(forClients);
      await store.createClientGrant(forUsers);

      expect(await store.getClientWithGrant(client.clientId, forClients.audience)).toEqual({
        client: await store.getClientByClientId(client.clientId),
        grant: forClients,
      });
      // A grant for users is not one for the client itself; an audience with no grant has none.
      expect(await store.getClientWithGrant(client.clientId, forUsers.audience)).toEqual({
        client: await store.getClientByClientId(client.clientId),
        grant: undefined,
      });
      expect(
        (await store.getClientWithGrant(client.clientId, "https://none.example.test"))?.grant,
      ).toBeUndefined();
      // Audiences are compared as stored: another case is another audience.
      expect(
        (await store.getClientWithGrant(client.clientId, forClients.audience.toUpperCase()))?.grant,
      ).toBeUndefined();
      expect(await store.getClientWithGrant("no-such-client", forClients.audience)).toBeUndefined();
    });

    it("reads a client with its grant afresh after each write to them, read after read", async () => {
      const { client, grant } = await clientWithGrant(store);
      const read = () => store.getClientWithGrant(client.clientId, grant.audience);
      expect((await read())?.grant?.scope).toEqual(["read:a"]);
      expect((await read())?.grant?.scope).toEqual(["read:a"]);

      await store.updateClientGrant(grant.id, (current) => ({ ...current, scope: ["read:b"] }));
      expect((await read())?.grant?.scope).toEqual(["read:b"]);
      const rotated = { ...client, secretHash: new Uint8Array(randomBytes(32)), updatedAt: tick() };
      await store.replaceClient(rotated);
      expect((await read())?.client.secretHash).toEqual(rotated.secretHash);
      await store.deleteClientGrant(grant.id);
      expect((await read())?.grant).toBeUndefined();
      await store.createClientGrant(grant);
      expect((await read())?.grant?.id).toBe(grant.id);
      await store.deleteClient(client.id);
      expect(await read()).toBeUndefined();
    });

    it("hands out client and grant records that cannot be changed by their reader", async () => {
      const { client, grant } = await clientWithGrant(store);
      const first = await store.getClientWithGrant(client.clientId, grant.audience);
      // A reader that changed its copy would otherwise change what the next request reads.
      try {
        first!.grant!.scope!.push("admin");
      } catch {
        // frozen: the shared record stays as stored
      }
      const second = await store.getClientWithGrant(client.clientId, grant.audience);
      expect(second?.grant?.scope).toEqual(["read:a"]);
    });

    it("answers conflict for a second grant of one client, audience and subject type", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      expect(await store.createClientGrant(grantOf(client.id))).toBe("created");
      // An unset subject type counts as "client".
      expect(await store.createClientGrant(grantOf(client.id, { subjectType: "client" }))).toBe(
        "conflict",
      );
      expect(await store.createClientGrant(grantOf(client.id, { subjectType: "user" }))).toBe(
        "created",
      );
      expect(await store.createClientGrant(grantOf(newResourceId()))).toBe("inexistent_client");
    });

    it("lets exactly one of many simultaneous creations of the same grant win", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () => store.createClientGrant(grantOf(client.id))),
      );
      expect(outcomes.filter((outcome) => outcome === "created")).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === "conflict")).toHaveLength(7);
    });

    it("lets exactly one of many simultaneous creations of clients with one client_id win", async () => {
      const owner = await provider(store);
      const clientId = `shared-${newResourceId()}`;
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () => store.createClient({ ...clientOf(owner.id), clientId })),
      );
      expect(outcomes.filter((outcome) => outcome === "created")).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === "conflict")).toHaveLength(7);
      expect((await store.getClientByClientId(clientId))?.clientId).toBe(clientId);
    });

    it("answers conflict when a client is renamed to another client's client_id", async () => {
      const owner = await provider(store);
      const first = clientOf(owner.id);
      const second = clientOf(owner.id);
      await store.createClient(first);
      await store.createClient(second);
      expect(await store.replaceClient({ ...second, clientId: first.clientId })).toBe("conflict");
      expect((await store.getClient(second.id))?.clientId).toBe(second.clientId);
      expect(await store.replaceClient({ ...clientOf(owner.id) })).toBe("inexistent_client");
    });

    it("accepts exactly one of many simultaneous uses of one assertion id", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const uses = await Promise.all(
        Array.from({ length: 8 }, () => store.useClientAssertionId(client.id, "jti-1", 2000, 1000)),
      );
      expect(uses.filter(Boolean)).toHaveLength(1);
      // Once expired, the id is forgotten and accepted again.
      expect(await store.useClientAssertionId(client.id, "jti-1", 3000, 2000)).toBe(true);
    });

    it("lets exactly one of many simultaneous claims of one idempotency key win", async () => {
      const record = {
        caller: "auth:racer",
        key: newResourceId(),
        fingerprint: "fp",
        createdAt: "2026-01-01T00:00:00.000Z",
        expiresAt: "2026-01-02T00:00:00.000Z",
      };
      const claims = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.claimIdempotencyKey(record, "2026-01-01T00:00:01.000Z"),
        ),
      );
      expect(claims.filter((claim) => claim.kind === "claimed")).toHaveLength(1);
      expect(claims.filter((claim) => claim.kind === "existing")).toHaveLength(7);
    });

    it("updates a grant whole, and writes nothing when the update throws", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const grant = grantOf(client.id, { scope: ["a"] });
      await store.createClientGrant(grant);
      const updated = await store.updateClientGrant(grant.id, (current) => ({
        ...current,
        scope: ["a", "b"],
        allowAllScopes: true,
      }));
      expect(updated).toEqual({ ...grant, scope: ["a", "b"], allowAllScopes: true });
      expect(await store.getClientGrant(grant.id)).toEqual(updated);
      await expect(
        store.updateClientGrant(grant.id, () => {
          throw new Error("refused");
        }),
      ).rejects.toThrow("refused");
      expect(await store.getClientGrant(grant.id)).toEqual(updated);
      expect(await store.updateClientGrant(newClientGrantId(), (current) => current)).toBe(
        undefined,
      );
    });

    it("applies simultaneous updates of one grant one after the other", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const grant = grantOf(client.id, { scope: [] });
      await store.createClientGrant(grant);
      await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          store.updateClientGrant(grant.id, (current) => ({
            ...current,
            scope: [...(current.scope ?? []), `s${index}`],
          })),
        ),
      );
      expect((await store.getClientGrant(grant.id))?.scope).toHaveLength(6);
    });

    it("lists grants by filter in creation order, by offset, by cursor, and counts them", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const audience = `https://${randomBytes(4).toString("hex")}.example.test`;
      const created: ClientGrantRecord[] = [];
      // Grant 1 shares grant 0's client (as a "user" grant); the others have a client each.
      for (let index = 0; index < 7; index++) {
        let clientId = client.id;
        if (index > 1) {
          const other = clientOf(owner.id);
          await store.createClient(other);
          clientId = other.id;
        }
        const grant = grantOf(clientId, {
          audience,
          subjectType: index % 2 === 0 ? "client" : "user",
          ...(index === 3 ? { allowAnyOrganization: true } : {}),
        });
        expect(await store.createClientGrant(grant)).toBe("created");
        created.push(grant);
      }
      const ids = (grants: ClientGrantRecord[]) => grants.map((grant) => grant.id);

      const all = await store.listClientGrants({ audience }, { kind: "all" });
      expect(ids(all.grants)).toEqual(ids(created));
      expect(all.next).toBeUndefined();
      expect(await store.countClientGrants({ audience })).toBe(7);
      expect(await store.countClientGrants({ audience, subjectType: "user" })).toBe(3);
      expect(
        ids(
          (await store.listClientGrants({ audience, allowAnyOrganization: true }, { kind: "all" }))
            .grants,
        ),
      ).toEqual([created[3]!.id]);
      expect(await store.countClientGrants({ audience, allowAnyOrganization: false })).toBe(6);
      expect(
        ids(
          (await store.listClientGrants({ audience, clientId: client.id }, { kind: "all" })).grants,
        ),
      ).toEqual(ids(created.filter((grant) => grant.clientId === client.id)));

      const offset = await store.listClientGrants(
        { audience },
        { kind: "offset", offset: 2, limit: 3 },
      );
      expect(ids(offset.grants)).toEqual(ids(created.slice(2, 5)));

      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.listClientGrants({ audience }, { kind: "after", after, limit: 3 });
        seen.push(...ids(page.grants));
        if (page.next === undefined) break;
        after = page.next;
      }
      expect(seen).toEqual(ids(created));
    });

    it("rejects a cursor it did not issue", async () => {
      await expect(
        store.listClientGrants({}, { kind: "after", after: "not-a-cursor", limit: 3 }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it("deletes a provider with its keys, clients, their grants and its domains", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const grant = grantOf(client.id);
      await store.createClientGrant(grant);
      const domain = domainOf(owner.id, `${randomBytes(4).toString("hex")}.example.test`);
      await store.createDomain(domain);
      expect(await store.deleteProvider(owner.id)).toBe(true);
      expect(await store.deleteProvider(owner.id)).toBe(false);
      expect(await store.getClient(client.id)).toBeUndefined();
      expect(await store.getClientGrant(grant.id)).toBeUndefined();
      expect(await store.getDomain(domain.id)).toBeUndefined();
      expect(await store.listSigningKeys(owner.id)).toEqual([]);
    });

    it("keeps one tenant: simultaneous offers agree on one provider and its sealed key, and deleting the provider ends it", async () => {
      const offer = async () => {
        const at = tick();
        const record: ProviderRecord = {
          id: newResourceId(),
          name: "Auth0 tenant",
          description: "",
          signingAlgorithm: "RS256",
          createdAt: at,
          updatedAt: at,
        };
        const key = await generateSigningKey({
          providerId: record.id,
          algorithm: "RS256",
          masterKey: MASTER_KEY,
          createdAt: at,
        });
        return { record, key };
      };
      const offers = await Promise.all(Array.from({ length: 6 }, offer));
      const made = await Promise.all(
        offers.map(({ record, key }) => store.ensureTenantProvider(record, key)),
      );
      const tenant = made[0]!;
      expect(new Set(made.map((provider) => provider.id))).toEqual(new Set([tenant.id]));
      expect(await store.getTenantProvider()).toEqual(tenant);
      const winner = offers.find((candidate) => candidate.record.id === tenant.id)!;
      expect(tenant).toEqual(winner.record);
      // The losing offers left nothing behind.
      for (const { record } of offers) {
        if (record.id !== tenant.id) expect(await store.getProvider(record.id)).toBeUndefined();
      }
      const keys = await store.listSigningKeys(tenant.id);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ kid: winner.key.kid, publicJwk: winner.key.publicJwk });
      expect(Buffer.from(keys[0]!.encryptedPrivateKey)).toEqual(
        Buffer.from(winner.key.encryptedPrivateKey),
      );

      expect(await store.deleteProvider(tenant.id)).toBe(true);
      expect(await store.getTenantProvider()).toBeUndefined();
      const next = await offer();
      expect(await store.ensureTenantProvider(next.record, next.key)).toEqual(next.record);
      expect(await store.getTenantProvider()).toEqual(next.record);
    });

    it("deletes a client's grants with the client, and a grant alone", async () => {
      const owner = await provider(store);
      const client = clientOf(owner.id);
      await store.createClient(client);
      const kept = grantOf(client.id);
      const alone = grantOf(client.id, { subjectType: "user" });
      await store.createClientGrant(kept);
      await store.createClientGrant(alone);
      expect(await store.deleteClientGrant(alone.id)).toBe(true);
      expect(await store.deleteClientGrant(alone.id)).toBe(false);
      await store.deleteClient(client.id);
      expect(await store.getClientGrant(kept.id)).toBeUndefined();
    });
  });
}
