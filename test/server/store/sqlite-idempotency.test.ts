import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import { SqliteStore } from "../../../server/store/sqlite-store";
import { idempotencyStoreBehaviour } from "./idempotency-behaviour";

describe("the SQLite store keeps Idempotency-Key records", () => {
  let dir: string;
  let count = 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "grants-idem-store-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  idempotencyStoreBehaviour(async () => new SqliteStore(path.join(dir, `db-${count++}.db`)));
});
