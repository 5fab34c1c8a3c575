import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { loadGrantsPackage } from "../support/provider-package";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";
import { createGrantsStack } from "../support/provider-stack";

const grants = loadGrantsPackage();

/** A resource of the native plugin, by its schema token, as a generated SDK would declare it. */
class Native extends pulumi.CustomResource {
  constructor(token: string, name: string, args: Record<string, unknown>, outputs: string[]) {
    const props: Record<string, unknown> = { ...args };
    for (const key of outputs) props[key] ??= undefined;
    super(token, name, props);
  }
}

/** The same declarations for both front doors. */
const issuerArgs = { name: "twin-issuer", description: "one implementation, two front doors" };
const clientArgs = { name: "twin-client", audience: "https://twin.example.com" };
const grantArgs = {
  audience: "https://twin.example.com",
  scopes: ["twin:write", "twin:read"],
  organizationUsage: "allow" as const,
};

function dynamicProgram() {
  const issuer = new grants.Provider("issuer", issuerArgs);
  const client = new grants.Client("client", { ...clientArgs, providerId: issuer.id });
  const grant = new grants.ClientGrant("grant", {
    ...grantArgs,
    clientId: client.id,
  });
  return Promise.resolve({ providerId: issuer.id, clientId: client.id, grantId: grant.id });
}

function nativeProgram() {
  const issuer = new Native("grants:index:Provider", "issuer", issuerArgs, ["issuer"]);
  const client = new Native(
    "grants:index:Client",
    "client",
    { ...clientArgs, providerId: issuer.id },
    ["clientSecret"],
  );
  const grant = new Native(
    "grants:index:ClientGrant",
    "grant",
    {
      ...grantArgs,
      clientId: client.id,
    },
    [],
  );
  return Promise.resolve({ providerId: issuer.id, clientId: client.id, grantId: grant.id });
}

/** What the server holds for a stack's objects, without what differs by server (ids, times). */
async function serverObjects(server: TestServer, ids: Record<string, string>) {
  const api = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  try {
    const provider = await api.providers.get(ids.providerId as string);
    const client = await api.clients.get(ids.providerId as string, ids.clientId as string);
    const grant = await api.clientGrants.get(ids.grantId as string);
    expect(grant.client_id).toBe(ids.clientId);
    return {
      provider: { name: provider.name, description: provider.description },
      client: { name: client.name, audience: client.audience },
      grant: { ...grant, id: undefined, client_id: undefined },
    };
  } finally {
    await api.close();
  }
}

describe("the native plugin and the dynamic resources", () => {
  let sandbox: PulumiSandbox;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    sandbox = createPulumiSandbox();
    servers.push(await startTestServer(), await startTestServer());
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    sandbox.cleanup();
  });

  it("make the same objects on the server for the same declarations", async () => {
    const results = [];
    for (const [index, program] of [dynamicProgram, nativeProgram].entries()) {
      const server = servers[index] as TestServer;
      const recorded = await createGrantsStack(sandbox, {
        projectName: `twin-${index}`,
        program,
        target: server,
      });
      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.result).toBe("succeeded");
      const ids = Object.fromEntries(
        Object.entries(up.outputs).map(([key, output]) => [key, String(output.value)]),
      );
      results.push(await serverObjects(server, ids));
      await recorded.stack.destroy(recorded.record());
    }
    expect(results[1]).toEqual(results[0]);
    // Both front doors keep the declared order.
    expect(results[0]?.grant.scope).toEqual(["twin:write", "twin:read"]);
  }, 300_000);
});
