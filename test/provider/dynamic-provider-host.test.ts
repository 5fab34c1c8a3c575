import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { GRANTS_ENV_VARS } from "../support/provider-config";
import { startDynamicProviderHost } from "../support/provider-grpc-host";
import type { DynamicProviderHost } from "../support/provider-grpc-host";
import { loadProviderCode } from "../support/provider-package";

const urn = (type: string, name: string) =>
  `urn:pulumi:grpc::grpc-test::pulumi-nodejs:dynamic/grants:${type}::${name}`;
// The host inherits our environment; the settings must come from configure alone.
const noGrantsEnv = Object.fromEntries(GRANTS_ENV_VARS.map((name) => [name, undefined]));

let server: TestServer;
let sdk: GrantsClient;
let host: DynamicProviderHost;
const text = loadProviderCode();

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  host = await startDynamicProviderHost({ env: noGrantsEnv });
  // The engine sends the whole stack config, namespaced, once per process.
  await host.configure({
    "grants:apiUrl": server.url,
    "grants:apiToken": server.adminToken,
    "grpc-test:unrelated": "x",
  });
});

afterAll(async () => {
  await host?.close();
  await sdk?.close();
  await server?.close();
});

describe("the serialized providers in @pulumi/pulumi's dynamic-provider host", () => {
  it("run Provider and Client check, diff, create, read, update and delete over gRPC", async () => {
    const providerUrn = urn("Provider", "issuer");
    const checked = await host.check(
      providerUrn,
      {},
      {
        name: "grpc-issuer",
        description: "over gRPC",
        __provider: text.Provider,
      },
    );
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(text.Provider);

    const provider = await host.create(providerUrn, checked.inputs);
    expect(provider.properties).toMatchObject({
      name: "grpc-issuer",
      issuer: `${server.url}/p/${provider.id}`,
      __provider: text.Provider,
    });
    const read = await host.read(provider.id, providerUrn, provider.properties);
    expect(read.id).toBe(provider.id);
    expect(read.inputs).toEqual({
      name: "grpc-issuer",
      description: "over gRPC",
      __provider: text.Provider,
    });
    expect(await host.diff(provider.id, providerUrn, read.properties, checked.inputs)).toEqual({
      changes: "none",
      replaces: [],
    });
    expect(
      await host.diff(provider.id, providerUrn, read.properties, {
        ...checked.inputs,
        description: "new",
      }),
    ).toEqual({ changes: "some", replaces: ["description"] });
    // update is never planned for a provider, but must still return every output.
    const updated = await host.update(
      provider.id,
      providerUrn,
      provider.properties,
      checked.inputs,
    );
    expect(updated.properties).toEqual(provider.properties);

    const clientUrn = urn("Client", "deployer");
    const clientInputs = await host.check(
      clientUrn,
      {},
      {
        providerId: provider.id,
        name: "grpc-deployer",
        audience: "https://deploy.example.com",
        __provider: text.Client,
      },
    );
    const client = await host.create(clientUrn, clientInputs.inputs);
    expect(client.properties).toMatchObject({
      tokenEndpoint: `${server.url}/p/${provider.id}/oauth/token`,
      clientSecret: expect.any(String),
    });
    expect(host.output()).not.toContain(client.properties.clientSecret as string);

    await host.delete(client.id, clientUrn, client.properties);
    await host.delete(provider.id, providerUrn, provider.properties);
    // Gone: read answers an empty id, which makes refresh drop the resource.
    expect((await host.read(provider.id, providerUrn, provider.properties)).id).toBe("");
    expect(host.output()).toContain("no longer exists on the server");
  });

  it("run ClientGrant check, diff, create, read, update and delete over gRPC", async () => {
    const owner = await sdk.providers.create({ name: "grpc-grants", description: "d" });
    const grantee = await sdk.clients.create(owner.id, { name: "grpc-grantee", audience: "aud" });
    const grantUrn = urn("ClientGrant", "orders");

    const checked = await host.check(
      grantUrn,
      {},
      {
        clientId: grantee.id,
        audience: "https://orders.example.com",
        scopes: ["write", "read"],
        __provider: text.ClientGrant,
      },
    );
    expect(checked.failures).toEqual([]);
    // The declared order is kept (deduplicated); the diff below still treats it as a set.
    expect(checked.inputs).toMatchObject({ scopes: ["write", "read"], subjectType: "client" });

    const grant = await host.create(grantUrn, checked.inputs);
    expect(grant.properties).toMatchObject({ scopes: ["write", "read"], isSystem: false });

    const reordered = await host.check(grantUrn, checked.inputs, {
      ...checked.inputs,
      scopes: ["read", "write", "read"],
    });
    expect(await host.diff(grant.id, grantUrn, grant.properties, reordered.inputs)).toEqual({
      changes: "none",
      replaces: [],
    });

    const narrowed = await host.check(grantUrn, checked.inputs, {
      ...checked.inputs,
      scopes: ["read"],
    });
    expect(await host.diff(grant.id, grantUrn, grant.properties, narrowed.inputs)).toEqual({
      changes: "some",
      replaces: [],
    });
    const updated = await host.update(grant.id, grantUrn, grant.properties, narrowed.inputs);
    expect(updated.properties).toMatchObject({
      scopes: ["read"],
      organizationUsage: "deny",
      __provider: text.ClientGrant,
    });
    expect((await sdk.clientGrants.get(grant.id)).scope).toEqual(["read"]);

    await sdk.clientGrants.update(grant.id, { scope: ["read", "admin"] });
    const refreshed = await host.read(grant.id, grantUrn, updated.properties);
    expect(refreshed.inputs).toMatchObject({ scopes: ["read", "admin"] });

    expect(
      await host.diff(grant.id, grantUrn, refreshed.properties, {
        ...narrowed.inputs,
        audience: "https://other",
      }),
    ).toEqual({ changes: "some", replaces: ["audience"] });

    await host.delete(grant.id, grantUrn, refreshed.properties);
    await host.delete(grant.id, grantUrn, refreshed.properties);
    expect((await host.read(grant.id, grantUrn, refreshed.properties)).id).toBe("");
  });

  it("return check failures that name the property", async () => {
    const result = await host.check(
      urn("ClientGrant", "bad"),
      {},
      {
        clientId: "c",
        audience: "a",
        scopes: ["ok", "x".repeat(281)],
        organizationUsage: "never",
        __provider: text.ClientGrant,
      },
    );
    expect(result.failures.map((failure) => failure.property).sort()).toEqual([
      "organizationUsage",
      "scopes[1]",
    ]);
  });

  it("fail check with the setting to set when the stack has no grants config", async () => {
    const bare = await startDynamicProviderHost({ env: noGrantsEnv });
    try {
      await bare.configure({ "grpc-test:other": "x" });
      const result = await bare.check(
        urn("Provider", "p"),
        {},
        {
          name: "abc",
          description: "d",
          __provider: text.Provider,
        },
      );
      expect(result.failures.map((failure) => failure.reason)).toEqual([
        expect.stringContaining(
          "grants:apiUrl is not set. Set it with `pulumi config set grants:apiUrl",
        ),
        expect.stringContaining("grants:apiToken is not set"),
      ]);
    } finally {
      await bare.close();
    }
  });
});
