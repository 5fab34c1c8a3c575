import { expect, it } from "vitest";
import type { IdempotencyRecord, Store } from "../../../server/store/store";

/**
 * What every Store must do with Idempotency-Key records, as a suite that takes a store factory,
 * so each implementation (SQLite, PostgreSQL) runs the same assertions against a fresh store.
 */
export function idempotencyStoreBehaviour(openStore: () => Promise<Store>): void {
  const record = (over: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
    caller: "auth:caller-a",
    key: "key-1",
    fingerprint: "fp-1",
    createdAt: "2026-01-01T00:00:00.000Z",
    expiresAt: "2026-01-02T00:00:00.000Z",
    ...over,
  });
  const now = "2026-01-01T00:00:01.000Z";

  it("claims a key once; a second claim sees the first, without an answer yet", async () => {
    const store = await openStore();
    try {
      expect(await store.claimIdempotencyKey(record(), now)).toEqual({ kind: "claimed" });
      const second = await store.claimIdempotencyKey(record({ fingerprint: "fp-2" }), now);
      expect(second).toEqual({ kind: "existing", record: record() });
    } finally {
      await store.close();
    }
  });

  it("returns the stored answer after completion", async () => {
    const store = await openStore();
    try {
      await store.claimIdempotencyKey(record(), now);
      const response = {
        status: 201,
        contentType: "application/json",
        sealedBody: new Uint8Array([1, 2, 3]),
      };
      await store.completeIdempotencyKey("auth:caller-a", "key-1", response);
      const again = await store.claimIdempotencyKey(record(), now);
      expect(again.kind).toBe("existing");
      if (again.kind !== "existing") return;
      expect(again.record.response?.status).toBe(201);
      expect(Buffer.from(again.record.response!.sealedBody)).toEqual(Buffer.from([1, 2, 3]));
      // A completed key is not released by a late release call.
      await store.releaseIdempotencyKey("auth:caller-a", "key-1");
      expect((await store.claimIdempotencyKey(record(), now)).kind).toBe("existing");
    } finally {
      await store.close();
    }
  });

  it("keeps keys per caller: the same key of another caller is a new claim", async () => {
    const store = await openStore();
    try {
      await store.claimIdempotencyKey(record(), now);
      expect(await store.claimIdempotencyKey(record({ caller: "auth:caller-b" }), now)).toEqual({
        kind: "claimed",
      });
    } finally {
      await store.close();
    }
  });

  it("forgets a released key and an expired one", async () => {
    const store = await openStore();
    try {
      await store.claimIdempotencyKey(record(), now);
      await store.releaseIdempotencyKey("auth:caller-a", "key-1");
      expect((await store.claimIdempotencyKey(record(), now)).kind).toBe("claimed");
      const later = "2026-01-02T00:00:00.000Z";
      expect((await store.claimIdempotencyKey(record({ fingerprint: "fp-3" }), later)).kind).toBe(
        "claimed",
      );
    } finally {
      await store.close();
    }
  });
}
