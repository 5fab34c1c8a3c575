import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../../server/keys/generate-signing-key";
import { newClientGrantId, newResourceId, newSubject } from "../../../server/secrets";
import { SqliteStore } from "../../../server/store/sqlite-store";
import { USEGRANT_CLIENT_METADATA } from "../../../sdk/schemas/oauth-client-metadata";
import { describeStoreBehaviour } from "./_store-behaviour";

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
    const at = "2026-06-01T00:00:00.000Z";
    const provider = {
      id: newResourceId(),
      name: "Acme",
      description: "",
      signingAlgorithm: "ES256" as const,
      createdAt: at,
      updatedAt: at,
    };
    await writer.createProvider(
      provider,
      await generateSigningKey({
        providerId: provider.id,
        algorithm: "ES256",
        masterKey: Buffer.alloc(32, 1),
        createdAt: at,
      }),
    );
    const id = newResourceId();
    const client = {
      id,
      clientId: id,
      providerId: provider.id,
      name: "worker",
      audience: "https://api.example.test",
      subject: newSubject(),
      secretHash: new Uint8Array(randomBytes(32)),
      metadata: USEGRANT_CLIENT_METADATA,
      createdAt: at,
      updatedAt: at,
    };
    await writer.createClient(client);
    const grant = { id: newClientGrantId(), clientId: id, audience: "https://api.example.test" };
    await writer.createClientGrant(grant);
    const read = () => reader.getClientWithGrant(id, grant.audience);
    expect((await read())?.grant?.id).toBe(grant.id);
    expect((await read())?.grant?.id).toBe(grant.id);

    const rotated = { ...client, secretHash: new Uint8Array(randomBytes(32)) };
    await writer.replaceClient(rotated);
    expect((await read())?.client.secretHash).toEqual(rotated.secretHash);
    await writer.deleteClientGrant(grant.id);
    expect((await read())?.grant).toBeUndefined();
  });
});
