import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientImplementation } from "../../provider/resources/client/crud";
import { clientGrantImplementation } from "../../provider/resources/client-grant/crud";
import { providerImplementation } from "../../provider/resources/provider/crud";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

let server: TestServer;
let sdk: GrantsClient;

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
});

afterAll(async () => {
  await sdk?.close();
  await server?.close();
});

beforeEach(async () => {
  clearGrantsEnvironment();
  // The engine configures each provider kind with the same stack config; so do we.
  await providerImplementation.configure(
    configureRequest({ "grants:apiUrl": server.url, "grants:apiToken": server.adminToken }),
  );
});

afterEach(() => {
  clearConfiguredSettings();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** What check answers, as the engine would pass it on to create/diff/update. */
async function checked<T>(
  check: (
    olds: unknown,
    news: Record<string, unknown>,
  ) => Promise<{ inputs?: T; failures?: unknown[] }>,
  news: Record<string, unknown>,
): Promise<T> {
  const result = await check({}, news);
  expect(result.failures).toEqual([]);
  return result.inputs as T;
}

describe("grants:Provider implementation against the grant server", () => {
  it("creates, reads with inputs, and deletes a provider; a second delete is a no-op", async () => {
    const inputs = await checked(providerImplementation.check, {
      name: "crud-issuer",
      description: "direct CRUD",
    });
    const created = await providerImplementation.create(inputs);
    expect(created.outs).toMatchObject({
      name: "crud-issuer",
      issuer: `${server.url}/p/${created.id}`,
      discoveryUrl: expect.stringContaining("/.well-known/openid-configuration"),
      jwksUri: expect.any(String),
      createdAt: expect.any(String),
    });

    const read = await providerImplementation.read(created.id, created.outs);
    expect(read).toEqual({
      id: created.id,
      props: created.outs,
      inputs: { name: "crud-issuer", description: "direct CRUD" },
    });

    const updated = await providerImplementation.update(created.id, created.outs!, inputs);
    expect(updated.outs).toEqual(created.outs);

    await providerImplementation.delete(created.id, created.outs!);
    await expect(providerImplementation.delete(created.id, created.outs!)).resolves.toBeUndefined();
  });

  it("answers a read of a deleted provider with no id, and warns", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const provider = await sdk.providers.create({ name: "gone-issuer", description: "d" });
    await sdk.providers.delete(provider.id);
    expect(await providerImplementation.read(provider.id, undefined)).toEqual({});
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("no longer exists on the server"));
  });

  it("fails create with the missing setting named when nothing is configured", async () => {
    clearConfiguredSettings();
    await expect(providerImplementation.create({ name: "abc", description: "d" })).rejects.toThrow(
      "grants:apiUrl is not set",
    );
  });
});

describe("grants:Client implementation against the grant server", () => {
  it("creates a client with its secret, issuer and token endpoint, and keeps the secret on read", async () => {
    const provider = await sdk.providers.create({ name: "client-issuer", description: "d" });
    const inputs = await checked(clientImplementation.check, {
      providerId: provider.id,
      name: "deployer",
      audience: "https://deploy.example.com",
    });
    const created = await clientImplementation.create(inputs);
    expect(created.outs).toMatchObject({
      providerId: provider.id,
      name: "deployer",
      audience: "https://deploy.example.com",
      issuer: provider.issuer,
      tokenEndpoint: `${provider.issuer}/oauth/token`,
      clientSecret: expect.any(String),
      subject: expect.any(String),
    });

    const read = await clientImplementation.read(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    expect(read.inputs).toEqual(inputs);

    await clientImplementation.delete(created.id, created.outs!);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await clientImplementation.read(created.id, created.outs)).toEqual({});
    expect(warn.mock.calls.flat().join("\n")).not.toContain(created.outs!.clientSecret!);
    await expect(clientImplementation.delete(created.id, created.outs!)).resolves.toBeUndefined();
  });

  it("adopts a client left by an earlier run without a secret, reads it, and leaves it to its adopter when the resource it replaced is deleted", async () => {
    const provider = await sdk.providers.create({ name: "adopting-issuer", description: "d" });
    const left = await sdk.clients.create(provider.id, {
      name: "left",
      audience: "https://l.example.com",
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const inputs = await checked(clientImplementation.check, {
      providerId: provider.id,
      name: "left",
      audience: "https://l.example.com",
    });
    const adopted = await clientImplementation.create(inputs);
    expect(adopted.id).toBe(left.id);
    expect(adopted.outs).not.toHaveProperty("clientSecret");
    // The engine refuses an undefined secret output, so the key must be absent, not undefined.
    const read = await clientImplementation.read(adopted.id, adopted.outs);
    expect(Object.keys(read.props!)).not.toContain("clientSecret");

    // The old resource of a create-before-delete replacement has the same id.
    await clientImplementation.delete(left.id, {
      ...adopted.outs!,
      clientSecret: left.clientSecret,
    });
    expect((await sdk.clients.get(provider.id, left.id)).id).toBe(left.id);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(`grants:Client ${left.id} is not deleted`),
    );
  });

  it("creates nothing when the provider does not exist", async () => {
    await expect(
      clientImplementation.create({
        providerId: "no-such-provider",
        name: "x-client",
        audience: "aud",
      }),
    ).rejects.toMatchObject({ code: "GRANTS_NOT_FOUND" });
  });
});

describe("grants:ClientGrant implementation against the grant server", () => {
  async function newClient(name: string) {
    const provider = await sdk.providers.create({ name: `${name}-issuer`, description: "d" });
    return sdk.clients.create(provider.id, { name, audience: "https://svc.example.com" });
  }

  it("creates, patches only what changed, follows drift on read, and deletes", async () => {
    const client = await newClient("grantee");
    const inputs = await checked(clientGrantImplementation.check, {
      clientId: client.id,
      audience: "https://orders.example.com",
      scopes: ["write", "read", "read"],
    });
    const created = await clientGrantImplementation.create(inputs);
    // The declared order, deduplicated: the server keeps the order it is sent.
    expect(created.outs).toEqual({ ...inputs, scopes: ["write", "read"], isSystem: false });
    expect((await sdk.clientGrants.get(created.id)).scope).toEqual(["write", "read"]);

    const narrowed = await checked(clientGrantImplementation.check, {
      ...inputs,
      scopes: ["read"],
      organizationUsage: "allow",
    });
    const diff = await clientGrantImplementation.diff(created.id, created.outs!, narrowed);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await clientGrantImplementation.update(created.id, created.outs!, narrowed);
    expect(updated.outs).toMatchObject({ scopes: ["read"], organizationUsage: "allow" });

    // Out of band: refresh must see it, as inputs too, so a later preview shows the difference.
    await sdk.clientGrants.update(created.id, { scope: ["read", "admin"] });
    const read = await clientGrantImplementation.read(created.id, updated.outs);
    expect(read.props?.scopes).toEqual(["read", "admin"]);
    expect(read.inputs).toMatchObject({ scopes: ["read", "admin"], organizationUsage: "allow" });
    expect(await clientGrantImplementation.diff(created.id, read.props!, narrowed)).toMatchObject({
      changes: true,
      replaces: [],
    });

    const moved = await checked(clientGrantImplementation.check, {
      ...narrowed,
      audience: "https://billing.example.com",
    });
    expect(await clientGrantImplementation.diff(created.id, read.props!, moved)).toMatchObject({
      changes: true,
      replaces: ["audience"],
    });

    await clientGrantImplementation.delete(created.id, read.props!);
    // An update that finds the grant gone says how to recover rather than recreating it.
    await expect(
      clientGrantImplementation.update(created.id, read.props!, narrowed),
    ).rejects.toThrow(
      `grants:ClientGrant ${created.id} no longer exists on the server; run \`pulumi refresh\``,
    );
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await clientGrantImplementation.read(created.id, read.props)).toEqual({});
    await expect(
      clientGrantImplementation.delete(created.id, read.props!),
    ).resolves.toBeUndefined();
  });

  it("adopts an existing grant with the same client, audience and subject type, with a warning", async () => {
    const client = await newClient("adopter");
    const existing = await sdk.clientGrants.create({
      client_id: client.id,
      audience: "https://adopt.example.com",
      scope: ["old"],
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const inputs = await checked(clientGrantImplementation.check, {
      clientId: client.id,
      audience: "https://adopt.example.com",
      scopes: ["new"],
    });
    const adopted = await clientGrantImplementation.create(inputs);
    expect(adopted.id).toBe(existing.id);
    expect(adopted.outs?.scopes).toEqual(["new"]);
    expect((await sdk.clientGrants.get(existing.id)).scope).toEqual(["new"]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`adopting ${existing.id}`));

    // A `user` grant for the same client and audience is a different grant, not an adoption.
    const forUsers = await checked(clientGrantImplementation.check, {
      ...inputs,
      subjectType: "user",
    });
    const second = await clientGrantImplementation.create(forUsers);
    expect(second.id).not.toBe(existing.id);
    expect(second.outs?.subjectType).toBe("user");
  });

  it("turns allowAllScopes on and off in place", async () => {
    const client = await newClient("all-scopes");
    const scoped = await checked(clientGrantImplementation.check, {
      clientId: client.id,
      audience: "https://all.example.com",
      scopes: ["a"],
    });
    const created = await clientGrantImplementation.create(scoped);
    const all = await checked(clientGrantImplementation.check, {
      clientId: client.id,
      audience: "https://all.example.com",
      allowAllScopes: true,
    });
    const opened = await clientGrantImplementation.update(created.id, created.outs!, all);
    expect(opened.outs).toMatchObject({ allowAllScopes: true, scopes: [] });
    const closed = await clientGrantImplementation.update(created.id, opened.outs!, scoped);
    expect(closed.outs).toMatchObject({ allowAllScopes: false, scopes: ["a"] });
  });
});
