import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientImplementation } from "../../provider/resources/client/crud";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

let server: TestServer;
let sdk: GrantsClient;
let setupId: string;
const publicJwk = {
  kty: "EC",
  crv: "P-256",
  x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
  kid: "k1",
};

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  setupId = (await sdk.providers.create({ name: "nevis-setup", description: "setup" })).id;
});
afterAll(async () => {
  await sdk?.close();
  await server?.close();
});

async function configure(values: Record<string, string>): Promise<void> {
  clearGrantsEnvironment();
  await clientImplementation.configure(
    configureRequest({
      "grants:apiUrl": server.url,
      "grants:apiToken": server.adminToken,
      ...values,
    }),
  );
}

beforeEach(() => configure({ "grants:backend": "nevis" }));
afterEach(() => {
  clearConfiguredSettings();
  vi.unstubAllEnvs();
});

describe("grants:Client on grants:backend nevis", () => {
  it("names each bad metadata input at check, by its camelCase property", async () => {
    const result = await clientImplementation.check(
      {},
      {
        providerId: setupId,
        name: "checked",
        accessTokenTtlSeconds: -5,
        tokenEndpointAuthMethod: "private_key_jwt",
        jwks: { keys: [{ ...publicJwk, d: "private" }] },
        audience: "https://api.example.test",
      },
    );
    const properties = (result.failures ?? []).map((failure) => failure.property);
    expect(properties).toEqual(
      expect.arrayContaining(["accessTokenTtlSeconds", "jwks.keys[0].d", "audience"]),
    );
  });

  it("reports a private_key_jwt client without keys under jwks", async () => {
    const result = await clientImplementation.check(
      {},
      { providerId: setupId, name: "no-keys", tokenEndpointAuthMethod: "private_key_jwt" },
    );
    expect(result.failures).toEqual([
      {
        property: "jwks",
        reason: "is required when token_endpoint_auth_method is private_key_jwt",
      },
    ]);
  });

  it("refuses metadata inputs on the useGrant backend, naming the property", async () => {
    await configure({});
    const result = await clientImplementation.check(
      {},
      { providerId: setupId, name: "ugc", audience: "aud-1", accessTokenTtlSeconds: 300 },
    );
    expect(result.failures).toEqual([
      expect.objectContaining({ property: "accessTokenTtlSeconds" }),
    ]);
  });

  it("creates, updates in place with PUT, reads drift and deletes", async () => {
    const checked = await clientImplementation.check(
      {},
      { providerId: setupId, name: "worker", accessTokenTtlSeconds: 300, owner: "ops" },
    );
    expect(checked.failures).toEqual([]);
    const inputs = checked.inputs!;
    expect(inputs).toMatchObject({ backend: "nevis", grantTypes: ["client_credentials"] });
    const created = await clientImplementation.create(inputs);
    expect(created.outs).toMatchObject({
      backend: "nevis",
      accessTokenTtlSeconds: 300,
      issuer: `${server.url}/p/${setupId}`,
      clientSecret: expect.any(String),
    });
    const live = await sdk.nevisMeta.clients.get(setupId, created.id);
    expect(live).toMatchObject({ client_id: created.id, access_token_ttl: 300, owner: "ops" });

    // An in-place change: the diff names no replacement.
    const next = (
      await clientImplementation.check(inputs, { ...inputs, accessTokenTtlSeconds: 600 })
    ).inputs!;
    const diff = await clientImplementation.diff(created.id, created.outs!, next);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await clientImplementation.update(created.id, created.outs!, next);
    expect(updated.outs).toMatchObject({
      accessTokenTtlSeconds: 600,
      clientSecret: created.outs!.clientSecret,
    });

    // Out of band: someone PUTs another lifetime and a comment.
    await sdk.nevisMeta.clients.replace(setupId, created.id, {
      name: "worker",
      grant_types: ["client_credentials"],
      access_token_ttl: 60,
      owner: "ops",
      comment: "changed by hand",
    });
    const read = await clientImplementation.read(created.id, updated.outs!);
    expect(read.inputs).toMatchObject({ accessTokenTtlSeconds: 60, comment: "changed by hand" });
    expect(read.inputs).not.toHaveProperty("refreshTokenTtlSeconds");
    expect((await clientImplementation.diff(created.id, read.props!, next)).changes).toBe(true);

    await clientImplementation.delete(created.id, read.props!);
    await clientImplementation.delete(created.id, read.props!);
    expect(await clientImplementation.read(created.id, read.props!)).toEqual({});
  });

  it("replaces when the setup changes, and diffs old useGrant state as useGrant", async () => {
    const diff = await clientImplementation.diff(
      "id",
      { providerId: "a", name: "n", backend: "nevis" },
      { providerId: "b", name: "n", backend: "nevis" },
    );
    expect(diff.replaces).toEqual(["providerId"]);
    const switched = await clientImplementation.diff(
      "id",
      { providerId: "a", name: "n", audience: "x" },
      { providerId: "a", name: "n", backend: "nevis" },
    );
    expect(switched.replaces).toEqual(expect.arrayContaining(["backend"]));
    const old = await clientImplementation.diff(
      "id",
      { providerId: "a", name: "n", audience: "x" },
      { providerId: "a", name: "n", audience: "x" },
    );
    expect(old.changes).toBe(false);
  });
});
