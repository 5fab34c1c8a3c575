import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientImplementation } from "../../provider/resources/client/crud";
import { diffClient } from "../../provider/resources/client/diff";
import type { ClientOutputs } from "../../provider/resources/client/schema";
import { providerImplementation } from "../../provider/resources/provider/crud";
import { clearManagementTokenSources } from "../../provider/shared/grants-client";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { createManagementApplication } from "../support/auth0-tenant";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

const TOKEN_LIFETIME_SECONDS = 600;

let server: TestServer;
let admin: GrantsClient;
let clock = Date.now();
let deployer: { clientId: string; clientSecret: string };

beforeAll(async () => {
  server = await startTestServer({
    now: () => clock,
    managementTokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
  });
  admin = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  deployer = await createManagementApplication(server);
});
afterAll(async () => {
  await admin?.close();
  await server?.close();
});

/** Only the tenant and the deployer's credentials: no admin token anywhere in the settings. */
async function configure(values: Record<string, string> = {}): Promise<void> {
  clearGrantsEnvironment();
  await clientImplementation.configure(
    configureRequest({
      "grants:backend": "auth0",
      "grants:auth0Domain": server.url,
      "grants:auth0ClientId": deployer.clientId,
      "grants:auth0ClientSecret": deployer.clientSecret,
      ...values,
    }),
  );
}

beforeEach(() => configure());
afterEach(() => {
  clearConfiguredSettings();
  clearManagementTokenSources();
  vi.unstubAllEnvs();
});

async function created(inputs: Record<string, unknown>) {
  const checked = await clientImplementation.check({}, { providerId: server.url, ...inputs });
  expect(checked.failures).toEqual([]);
  const result = await clientImplementation.create(checked.inputs as never);
  return { id: result.id, outs: result.outs as ClientOutputs, inputs: checked.inputs };
}

async function tokenWith(clientId: string, clientSecret: string) {
  const response = await fetch(`${server.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      audience: "https://api.billing.test",
    }).toString(),
  });
  return response.status;
}

describe("grants:Client on grants:backend auth0", () => {
  it("names each input an Auth0 application has no field for, and a missing credential key", async () => {
    const result = await clientImplementation.check(
      {},
      {
        providerId: server.url,
        name: "checked",
        audience: "https://api.billing.test",
        owner: "team",
        tokenEndpointAuthMethod: "private_key_jwt",
      },
    );
    expect((result.failures ?? []).map((failure) => failure.property).sort()).toEqual([
      "audience",
      "owner",
      "tokenEndpointAuthMethod",
    ]);

    await configure({ "grants:auth0ClientSecret": "" });
    const missing = await clientImplementation.check({}, { providerId: server.url, name: "xyz" });
    expect(missing.failures).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining("grants:auth0ClientSecret is not set"),
      }),
    ]);
  });

  it("refuses the Auth0-only inputs on the other backends", async () => {
    await configure({
      "grants:backend": "nevis",
      "grants:apiUrl": server.url,
      "grants:apiToken": server.adminToken,
    });
    const result = await clientImplementation.check(
      {},
      { providerId: "p", name: "checked", secretVersion: 1, clientMetadata: { team: "x" } },
    );
    expect(result.failures).toEqual([
      expect.objectContaining({
        property: "clientMetadata",
        reason: expect.stringContaining("needs `grants:backend auth0`"),
      }),
      expect.objectContaining({ property: "secretVersion" }),
    ]);
  });

  it("creates a machine application whose secret gets tokens at the tenant", async () => {
    const app = await created({
      name: "billing worker",
      description: "bills",
      clientMetadata: { team: "billing" },
    });
    expect(app.outs).toMatchObject({
      backend: "auth0",
      issuer: `${server.url}/`,
      tokenEndpoint: `${server.url}/oauth/token`,
      grantTypes: ["client_credentials"],
    });
    expect(app.outs.clientSecret).toEqual(expect.any(String));
    const live = await admin.auth0Clients.get(app.id);
    expect(live).toMatchObject({
      name: "billing worker",
      description: "bills",
      app_type: "non_interactive",
      grant_types: ["client_credentials"],
      client_metadata: { team: "billing" },
    });
    await admin.clientGrants.create({
      client_id: app.id,
      audience: "https://api.billing.test",
      scope: ["bills:read"],
    });
    expect(await tokenWith(app.id, app.outs.clientSecret!)).toBe(200);
  });

  it("changes name, description and metadata in place, keeping id and secret", async () => {
    const app = await created({ name: "renamed later" });
    const news = (
      await clientImplementation.check(
        {},
        {
          providerId: server.url,
          name: "renamed",
          description: "now described",
          clientMetadata: { owner: "ops" },
          idTokenTtlSeconds: 600,
        },
      )
    ).inputs;
    const diff = await diffClient(app.id, app.outs, news as never);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await clientImplementation.update(app.id, app.outs, news as never);
    expect(updated.outs?.clientSecret).toBe(app.outs.clientSecret);
    expect(await admin.auth0Clients.get(app.id)).toMatchObject({
      client_id: app.id,
      name: "renamed",
      description: "now described",
      client_metadata: { owner: "ops" },
      jwt_configuration: { lifetime_in_seconds: 600 },
    });
  });

  it("rotates the secret when secretVersion changes: the old one stops working", async () => {
    const app = await created({ name: "rotated", secretVersion: 1 });
    await admin.clientGrants.create({
      client_id: app.id,
      audience: "https://api.billing.test",
      scope: [],
    });
    const news = { ...app.inputs, secretVersion: 2 };
    expect(await diffClient(app.id, app.outs, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
    const rotated = await clientImplementation.update(app.id, app.outs, news as never);
    const secret = rotated.outs?.clientSecret;
    expect(secret).toEqual(expect.any(String));
    expect(secret).not.toBe(app.outs.clientSecret);
    expect(rotated.outs?.secretVersion).toBe(2);
    expect(await tokenWith(app.id, secret!)).toBe(200);
    expect(await tokenWith(app.id, app.outs.clientSecret!)).toBe(401);
  });

  it("shows an out-of-band change on refresh, and a deleted application goes from state", async () => {
    const app = await created({ name: "drifting" });
    await admin.auth0Clients.update(app.id, {
      description: "edited in the dashboard",
      app_type: "regular_web",
    });
    const read = await clientImplementation.read(app.id, app.outs);
    expect(read.inputs).toMatchObject({
      name: "drifting",
      description: "edited in the dashboard",
      appType: "regular_web",
    });
    expect(read.props?.clientSecret).toBe(app.outs.clientSecret);
    expect(await diffClient(app.id, read.inputs as never, app.inputs as never)).toMatchObject({
      changes: true,
      replaces: [],
    });

    await admin.auth0Clients.delete(app.id);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(await clientImplementation.read(app.id, app.outs)).toEqual({});
    await expect(clientImplementation.delete(app.id, app.outs)).resolves.toBeUndefined();
    warn.mockRestore();
  });

  it("keeps working after its Management API token expires: the refused call fetches a new one", async () => {
    const app = await created({ name: "outlives a token" });
    // The server's clock passes the token's expiry; this process's token source, on its own
    // clock, still holds the old token, so the next call is refused once and retried.
    clock += (TOKEN_LIFETIME_SECONDS + 60) * 1000;
    const read = await clientImplementation.read(app.id, app.outs);
    expect(read.id).toBe(app.id);
    await clientImplementation.delete(app.id, app.outs);
    await expect(admin.auth0Clients.get(app.id)).rejects.toMatchObject({ status: 404 });
  });

  it("names the management settings when the tenant refuses the token", async () => {
    await configure({
      "grants:managementApiToken": "refused-token-0123456789",
      "grants:managementApiUrl": `${server.url}/api/v2`,
    });
    const error = await clientImplementation
      .read("no-such-app", { providerId: server.url, name: "x", backend: "auth0" })
      .then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
    expect(error?.message).toMatch(/^grants:Client read failed: .*401/);
    expect(error?.message).toContain("Check grants:managementApiToken");
    expect(error?.message).not.toContain("refused-token-0123456789");
  });

  it("stands a Provider for the tenant: its issuer, nothing created or deleted", async () => {
    await providerImplementation.configure(
      configureRequest({
        "grants:backend": "auth0",
        "grants:auth0Domain": server.url,
        "grants:auth0ClientId": deployer.clientId,
        "grants:auth0ClientSecret": deployer.clientSecret,
      }),
    );
    const checked = await providerImplementation.check({}, { name: "tenant", description: "t" });
    expect(checked.failures).toEqual([]);
    const before = await admin.providers.list();
    const tenant = await providerImplementation.create(checked.inputs as never);
    expect(tenant).toMatchObject({
      id: server.url,
      outs: { backend: "auth0", issuer: `${server.url}/` },
    });
    await providerImplementation.delete(tenant.id, tenant.outs as never);
    expect(await admin.providers.list()).toEqual(before);
  });
});
