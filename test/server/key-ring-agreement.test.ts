import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../server/keys/generate-signing-key";
import { KeyRing } from "../../server/keys/key-ring";
import { newResourceId } from "../../server/secrets";
import { SqliteStore } from "../../server/store/sqlite-store";

const MASTER_KEY = Buffer.alloc(32, 3);
const LIFETIME_MS = 10_000;

describe("key rings of two instances on one store, with a 10 s key cache lifetime", () => {
  let dir: string;
  let store: SqliteStore;
  let clock = Date.parse("2026-06-01T00:00:00.000Z");
  const now = () => clock;
  const providerId = newResourceId();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "grants-key-ring-"));
    store = new SqliteStore(path.join(dir, "grants.db"));
    const at = new Date(clock).toISOString();
    const key = await generateSigningKey({
      providerId,
      algorithm: "ES256",
      masterKey: MASTER_KEY,
      createdAt: at,
    });
    await store.createProvider(
      {
        id: providerId,
        name: "Acme",
        description: "",
        signingAlgorithm: "ES256",
        createdAt: at,
        updatedAt: at,
      },
      key,
    );
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("publish a rotated key everywhere before any instance signs with it", async () => {
    const a = new KeyRing(store, MASTER_KEY, now, LIFETIME_MS);
    const b = new KeyRing(store, MASTER_KEY, now, LIFETIME_MS);
    // A brand-new provider signs with its only key at once.
    expect((await a.activeKey(providerId))!.kid).toBeDefined();
    clock += 60_000;
    const first = (await a.activeKey(providerId))!.kid;
    expect((await b.activeKey(providerId))!.kid).toBe(first);
    expect((await b.jwks(providerId)).keys.map((key) => key.kid)).toEqual([first]);

    const rotatedAt = new Date(clock).toISOString();
    const next = await generateSigningKey({
      providerId,
      algorithm: "ES256",
      masterKey: MASTER_KEY,
      createdAt: rotatedAt,
    });
    await store.rotateSigningKey(next, new Date(clock + 3_600_000).toISOString(), rotatedAt);
    a.forget(providerId); // A made the rotation

    // Just after: A publishes the new key but both still sign with the old one; B has not
    // read the store again yet.
    expect((await a.jwks(providerId)).keys.map((key) => key.kid)).toEqual([next.kid, first]);
    expect((await a.activeKey(providerId))!.kid).toBe(first);
    expect((await b.activeKey(providerId))!.kid).toBe(first);
    expect((await b.jwks(providerId)).keys.map((key) => key.kid)).toEqual([first]);

    // Until B's copy is a lifetime old, B publishes only the old key, and nobody signs with
    // the new one.
    clock += LIFETIME_MS - 1;
    expect((await b.jwks(providerId)).keys.map((key) => key.kid)).toEqual([first]);
    expect((await a.activeKey(providerId))!.kid).toBe(first);
    expect((await b.activeKey(providerId))!.kid).toBe(first);

    // A lifetime after the rotation B reads the store again and publishes the new key, which
    // is now old enough to sign on both.
    clock += 1;
    expect((await b.jwks(providerId)).keys.map((key) => key.kid)).toEqual([next.kid, first]);
    expect((await a.activeKey(providerId))!.kid).toBe(next.kid);
    expect((await b.activeKey(providerId))!.kid).toBe(next.kid);
  });

  it("switch to a rotated key the moment it is a lifetime old, also between two reads of the store", async () => {
    const ring = new KeyRing(store, MASTER_KEY, now, LIFETIME_MS);
    clock += 60_000;
    const before = (await ring.activeKey(providerId))!.kid;
    const rotatedAt = clock;
    const next = await generateSigningKey({
      providerId,
      algorithm: "ES256",
      masterKey: MASTER_KEY,
      createdAt: new Date(rotatedAt).toISOString(),
    });
    await store.rotateSigningKey(
      next,
      new Date(rotatedAt + 3_600_000).toISOString(),
      new Date(rotatedAt).toISOString(),
    );
    // This ring reads the store half a lifetime after the rotation, so its copy is still
    // fresh when the new key comes of age.
    clock = rotatedAt + LIFETIME_MS / 2;
    ring.forget(providerId);
    expect((await ring.activeKey(providerId))!.kid).toBe(before);
    clock = rotatedAt + LIFETIME_MS - 1;
    expect((await ring.activeKey(providerId))!.kid).toBe(before);
    clock = rotatedAt + LIFETIME_MS;
    expect((await ring.activeKey(providerId))!.kid).toBe(next.kid);
  });

  it("switch at once with a lifetime of 0 (one instance)", async () => {
    const only = new KeyRing(store, MASTER_KEY, now, 0);
    const before = (await only.activeKey(providerId))!.kid;
    clock += 1000;
    const at = new Date(clock).toISOString();
    const next = await generateSigningKey({
      providerId,
      algorithm: "ES256",
      masterKey: MASTER_KEY,
      createdAt: at,
    });
    await store.rotateSigningKey(next, new Date(clock + 3_600_000).toISOString(), at);
    only.forget(providerId);
    expect((await only.activeKey(providerId))!.kid).toBe(next.kid);
    expect(next.kid).not.toBe(before);
  });
});
