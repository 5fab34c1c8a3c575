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

/** A signing key ready to use: parsed once, then cached. */
export interface ActiveSigningKey {
  kid: string;
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
}

interface CachedJwks {
  body: Jwks;
  /** Epoch ms when the set changes by itself (a retiring key drops out). */
  validUntil: number;
}

/**
 * The provider keys in memory. Decrypting and parsing a key costs far more than signing with
 * it, so each private key is opened once per process and each JWKS built once per change.
 *
 * The caches are per process: after a rotation made by another process (several servers on one
 * shared store) this one keeps signing with the previous key, which stays valid and published
 * until it retires, but calls {@link forget} to switch at once.
 */
export class KeyRing {
  readonly #store: Store;
  readonly #masterKey: Buffer;
  readonly #now: () => number;
  readonly #active = new Map<string, ActiveSigningKey>();
  readonly #jwks = new Map<string, CachedJwks>();

  constructor(store: Store, masterKey: Buffer, now: () => number) {
    this.#store = store;
    this.#masterKey = masterKey;
    this.#now = now;
  }

  /** The key that signs new tokens for a provider, or undefined if the provider has none. */
  async activeKey(providerId: string): Promise<ActiveSigningKey | undefined> {
    const cached = this.#active.get(providerId);
    if (cached) return cached;
    const record = (await this.#store.listSigningKeys(providerId)).find(
      (key) => key.status === "active",
    );
    if (!record) return undefined;
    const key: ActiveSigningKey = {
      kid: record.kid,
      algorithm: record.algorithm,
      privateKey: this.#openPrivateKey(record),
    };
    this.#active.set(providerId, key);
    return key;
  }

  /** The public JWK Set: the active key plus every retiring key whose tokens may still live. */
  async jwks(providerId: string): Promise<Jwks> {
    const now = this.#now();
    const cached = this.#jwks.get(providerId);
    if (cached && now < cached.validUntil) return cached.body;
    const published = (await this.#store.listSigningKeys(providerId)).filter((key) =>
      isPublished(key, now),
    );
    const validUntil = Math.min(
      Infinity,
      ...published.flatMap((key) => (key.retiresAt ? [Date.parse(key.retiresAt)] : [])),
    );
    const body = { keys: published.map((key) => JSON.parse(key.publicJwk) as Jwk) };
    this.#jwks.set(providerId, { body, validUntil });
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
    this.#active.delete(providerId);
    this.#jwks.delete(providerId);
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
