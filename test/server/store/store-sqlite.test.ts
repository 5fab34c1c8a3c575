import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../../server/store/sqlite-store";
import { clientWithGrant, describeStoreBehaviour } from "./_store-behaviour";

describeStoreBehaviour("SQLite", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "grants-store-"));
  return {
    store: new SqliteStore(path.join(dir, "grants.db")),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

describe("the SQLite store with a second connection on its file", () => {
  let dir: string;
  let reader: SqliteStore;
  let writer: SqliteStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "grants-store-"));
    reader = new SqliteStore(path.join(dir, "grants.db"));
    writer = new SqliteStore(path.join(dir, "grants.db"));
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("sees the other connection's revoked grant and rotated secret at the next token read", async () => {
    const { client, grant } = await clientWithGrant(writer);
    const read = () => reader.getClientWithGrant(client.clientId, grant.audience);
    expect((await read())?.grant?.id).toBe(grant.id);
    expect((await read())?.grant?.id).toBe(grant.id);

    const rotated = { ...client, secretHash: new Uint8Array(randomBytes(32)) };
    await writer.replaceClient(rotated);
    expect((await read())?.client.secretHash).toEqual(rotated.secretHash);
    await writer.deleteClientGrant(grant.id);
    expect((await read())?.grant).toBeUndefined();
  });
});
