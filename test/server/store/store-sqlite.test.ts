import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteStore } from "../../../server/store/sqlite-store";
import { describeStoreBehaviour } from "./_store-behaviour";

describeStoreBehaviour("SQLite", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "grants-store-"));
  return {
    store: new SqliteStore(path.join(dir, "grants.db")),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
