import type { Client, Provider } from "../../sdk/index";
import type { UseGrantSettings } from "./api-settings";
import { withUseGrantClient } from "./grants-client";
import type { ClientPurpose } from "./grants-client";
import { useGrantKey } from "./settings-key";

// What one provider process (one `pulumi` operation) learns from a useGrant API and may keep for
// its life. Each kept answer saves a request per resource against a tenant's rate limit: the
// Clients of one provider would otherwise each read that provider and list its clients before
// their create, and each ClientGrant's check would list clients again to find its own.
// A read that failed is not kept: the next caller asks again. Keys hold the token only in this
// process's memory, like the client cache's.

/** The key of one object (a provider, a client) by its id at one API and credential. */
function objectKey(settings: UseGrantSettings, id: string): string {
  return JSON.stringify([useGrantKey(settings), id]);
}

const providerReads = new Map<string, Promise<Provider>>();

/** Keeps `read` under `key` until it fails. */
function kept<T>(store: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  const started = read();
  store.set(key, started);
  started.catch(() => {
    if (store.get(key) === started) store.delete(key);
  });
  return started;
}

/**
 * The provider `providerId`, read once per process: a Client's create needs its issuer, and the
 * preview check its existence. A provider deleted since is still refused by the create itself
 * (the server answers 404 to a client created under it), so nothing is left half-made.
 */
export async function providerOnce(
  settings: UseGrantSettings,
  providerId: string,
  purpose: ClientPurpose,
): Promise<Provider> {
  const key = objectKey(settings, providerId);
  const held = providerReads.get(key);
  if (held !== undefined) {
    // A probe's read (few attempts) that failed must not fail an operation: it reads again.
    const settled = await held.then(
      (provider) => ({ provider }),
      () => undefined,
    );
    if (settled !== undefined) return settled.provider;
  }
  return kept(providerReads, key, () =>
    withUseGrantClient(settings, (client) => client.providers.get(providerId), purpose),
  );
}

/** Keeps `provider` as read or written just now by this process. */
export function noteProvider(settings: UseGrantSettings, provider: Provider): void {
  providerReads.set(objectKey(settings, provider.id), Promise.resolve(provider));
}

/** Forgets provider `providerId`: this process deleted it. */
export function noteProviderDeleted(settings: UseGrantSettings, providerId: string): void {
  providerReads.delete(objectKey(settings, providerId));
}

// Keyed by settings and provider id.
const listingsBeforeCreates = new Map<string, Promise<readonly Client[]>>();
// Clients by settings and id, like everything here: ids of two servers are never one.
const knownClients = new Set<string>();
const deletedClients = new Set<string>();

/**
 * The clients of `providerId` as they were before this process created any there: what earlier
 * runs left behind, the only clients a create may adopt. Every create awaits the one listing
 * before it posts, so the listing never holds a sibling this process is creating (two resources
 * with the same name and audience each get their own client). Clients this process deleted
 * since are left out.
 */
export async function clientsBeforeCreates(
  settings: UseGrantSettings,
  providerId: string,
): Promise<readonly Client[]> {
  const key = objectKey(settings, providerId);
  const listing =
    listingsBeforeCreates.get(key) ??
    kept(listingsBeforeCreates, key, () =>
      withUseGrantClient(settings, (client) => client.clients.list(providerId)),
    );
  const clients = await listing;
  return clients.filter((client) => !deletedClients.has(objectKey(settings, client.id)));
}

/** Notes that client `id` exists: this process created, adopted or read it. */
export function noteClient(settings: UseGrantSettings, id: string): void {
  const key = objectKey(settings, id);
  knownClients.add(key);
  deletedClients.delete(key);
}

/** Notes that client `id` is gone: this process deleted it. */
export function noteClientDeleted(settings: UseGrantSettings, id: string): void {
  const key = objectKey(settings, id);
  knownClients.delete(key);
  deletedClients.add(key);
}

/** Whether this process saw client `id` exist and has not deleted it since. */
export function clientKnown(settings: UseGrantSettings, id: string): boolean {
  return knownClients.has(objectKey(settings, id));
}

/** Forgets everything kept (tests that start and stop servers in one process). */
export function clearUseGrantReads(): void {
  providerReads.clear();
  listingsBeforeCreates.clear();
  knownClients.clear();
  deletedClients.clear();
}
