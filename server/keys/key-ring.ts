import { createPrivateKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { Jwk, Jwks } from "../../sdk/schemas/oauth";
import type { SigningAlgorithm } from "../../sdk/schemas/provider";
import type { SigningKeyRecord, Store } from "../store/store";
import { open } from "./sealed-box";

/** Whether a key is still in the JWKS: active, or retiring but with tokens that may be alive. */
export function isPublished(key: SigningKeyRecord, now: number): boolean {
  return key.retiresAt === undefined || Date.parse(key.retiresAt) > now;
}

/** When the first of `keys` leaves the JWKS (epoch ms); Infinity if none is retiring. */
function firstRetirement(keys: readonly SigningKeyRecord[]): number {
  return Math.min(
    Infinity,
    ...keys.flatMap((key) => (key.retiresAt ? [Date.parse(key.retiresAt)] : [])),
  );
}

/** A signing key ready to use: parsed once, then cached. */
export interface ActiveSigningKey {
  kid: string;
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
}

interface CachedKeys {
  /** The provider's keys as last read, newest first. */
  records: SigningKeyRecord[];
  /** Epoch ms after which they are read again (Infinity with a lifetime of 0). */
  expiresAt: number;
  jwks?: { body: Jwks; validUntil: number };
  /** The signing key chosen among `records`, until the moment the choice may change. */
  active?: { key: ActiveSigningKey | undefined; validUntil: number };
}

/**
 * The provider keys in memory. Decrypting and parsing a key costs far more than signing with
 * it, so each private key is opened once per process and each JWKS built once per change.
 *
 * Several instances on one store agree through `cacheMs`, the documented key cache lifetime:
 * an instance reads a provider's keys again at most `cacheMs` after it last read them, so a key
 * rotated in through any instance is in every instance's JWKS within `cacheMs`; and a new key
 * signs only once it is `cacheMs` old (until then the previous key, still published, signs), so
 * no instance signs with a key another one does not publish yet. With `cacheMs` 0 (one instance)
 * keys are cached until this process rotates them ({@link forget}) and a new key signs at once.
 */
export class KeyRing {
  readonly #store: Store;
  readonly #masterKey: Buffer;
  readonly #now: () => number;
  readonly #cacheMs: number;
  readonly #keys = new Map<string, CachedKeys>();
  /** Opened private keys by kid: a kid never changes its key. */
  readonly #privateKeys = new Map<string, KeyObject>();

  constructor(store: Store, masterKey: Buffer, now: () => number, cacheMs = 0) {
    this.#store = store;
    this.#masterKey = masterKey;
    this.#now = now;
    this.#cacheMs = cacheMs;
  }

  /** How long keys are cached, and how long a new key waits before it signs. */
  get cacheMs(): number {
    return this.#cacheMs;
  }

  /** The key that signs new tokens for a provider, or undefined if the provider has none. */
  async activeKey(providerId: string): Promise<ActiveSigningKey | undefined> {
    const now = this.#now();
    const cached = await this.#cached(providerId, now);
    // Which key signs changes only when a key retires or comes of age: chosen once until then,
    // as the JWKS is, not on every token request.
    if (cached.active && now < cached.active.validUntil) return cached.active.key;
    const published = cached.records.filter((key) => isPublished(key, now));
    const comesOfAge = (key: SigningKeyRecord) => Date.parse(key.createdAt) + this.#cacheMs;
    // The newest key published for the whole cache lifetime; failing that (a provider younger
    // than the lifetime, rotated again meanwhile) the one published longest.
    const record =
      published.find((key) => comesOfAge(key) <= now) ?? published[published.length - 1];
    const validUntil = Math.min(
      firstRetirement(published),
      ...published.map(comesOfAge).filter((at) => at > now),
    );
    let active: ActiveSigningKey | undefined;
    if (record) {
      let privateKey = this.#privateKeys.get(record.kid);
      if (!privateKey) {
        privateKey = this.#openPrivateKey(record);
        this.#privateKeys.set(record.kid, privateKey);
      }
      active = Object.freeze({ kid: record.kid, algorithm: record.algorithm, privateKey });
    }
    cached.active = { key: active, validUntil };
    return active;
  }

  /** The public JWK Set: the active key plus every retiring key whose tokens may still live. */
  async jwks(providerId: string): Promise<Jwks> {
    const now = this.#now();
    const cached = await this.#cached(providerId, now);
    if (cached.jwks && now < cached.jwks.validUntil) return cached.jwks.body;
    const published = cached.records.filter((key) => isPublished(key, now));
    const validUntil = firstRetirement(published);
    const body = { keys: published.map((key) => JSON.parse(key.publicJwk) as Jwk) };
    cached.jwks = { body, validUntil };
    return body;
  }

  /** The algorithms of the published keys (for discovery). */
  async publishedAlgorithms(providerId: string): Promise<string[]> {
    const { keys } = await this.jwks(providerId);
    return [...new Set(keys.map((key) => String(key.alg)))];
  }

  /**
   * Opens one stored private key, so a master key other than the one the keys were sealed with
   * stops the server at start instead of failing every token request later.
   */
  async assertMasterKeyOpensKeys(): Promise<void> {
    const [provider] = await this.#store.listProviders();
    if (!provider) return;
    const [record] = await this.#store.listSigningKeys(provider.id);
    if (!record) return;
    try {
      this.#openPrivateKey(record);
    } catch {
      throw new Error(
        "the master key does not open the stored signing keys: GRANTS_MASTER_KEY (or the data " +
          "dir's master.key) differs from the key they were sealed with",
      );
    }
  }

  /** Drops what is cached for a provider, after its keys changed or it was deleted. */
  forget(providerId: string): void {
    const cached = this.#keys.get(providerId);
    for (const record of cached?.records ?? []) this.#privateKeys.delete(record.kid);
    this.#keys.delete(providerId);
  }

  async #cached(providerId: string, now: number): Promise<CachedKeys> {
    const cached = this.#keys.get(providerId);
    if (cached && now < cached.expiresAt) return cached;
    const records = await this.#store.listSigningKeys(providerId);
    const fresh: CachedKeys = {
      records,
      expiresAt: this.#cacheMs > 0 ? now + this.#cacheMs : Infinity,
    };
    // Keys that left the store leave the opened-key cache too.
    if (cached) {
      const kept = new Set(records.map((record) => record.kid));
      for (const old of cached.records) {
        if (!kept.has(old.kid)) this.#privateKeys.delete(old.kid);
      }
    }
    this.#keys.set(providerId, fresh);
    return fresh;
  }

  #openPrivateKey(record: SigningKeyRecord): KeyObject {
    const der = open(this.#masterKey, record.encryptedPrivateKey, record.kid);
    try {
      return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    } finally {
      der.fill(0);
    }
  }
}
