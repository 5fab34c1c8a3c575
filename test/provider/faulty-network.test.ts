import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { ClientGrant, GrantsClient } from "../../sdk/index";
import { startFaultProxy } from "../support/fault-proxy";
import type { FaultProxy } from "../support/fault-proxy";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { loadGrantsPackage } from "../support/provider-package";
import { createGrantsStack } from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";
import { seededFaults } from "../support/seeded-faults";
import type { SeededFaults } from "../support/seeded-faults";

// Issue #13's hostile network: a proxy between the engine and the grant server faults 20 % of
// requests — 429 with Retry-After: 1, 503, a reset connection, a stall past the client timeout,
// and a 502 after the server acted — drawn from a fixed seed, so every run meets the same
// faults. The stall outlasts `grants:requestTimeoutSeconds`, set low so the test stays short.

const grants = loadGrantsPackage();
const CLIENTS = 10;
const GRANTS_PER_CLIENT = 20;
const GRANTS = CLIENTS * GRANTS_PER_CLIENT;
/** What one operation may take at most: a hung run fails the test instead of hanging it. */
const OPERATION_TIMEOUT_MS = 600_000;

function program() {
  const issuer = new grants.Provider("issuer", { name: "faulty-network", description: "faults" });
  for (let c = 0; c < CLIENTS; c++) {
    const app = new grants.Client(`app-${c}`, {
      providerId: issuer.id,
      name: `faulty-app-${c}`,
      audience: `https://app-${c}.example.com`,
    });
    for (let g = 0; g < GRANTS_PER_CLIENT; g++) {
      new grants.ClientGrant(`grant-${c}-${g}`, {
        clientId: app.id,
        audience: `https://api-${g}.example.com`,
        scopes: ["read"],
      });
    }
  }
  return Promise.resolve({});
}

let server: TestServer;
let proxy: FaultProxy;
let faults: SeededFaults;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
  faults = seededFaults("issue-13", 0.2);
  proxy.plan(faults.plan);
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-faulty-network",
    program: () => program(),
    target: { url: proxy.url, adminToken: server.adminToken },
  });
  await recorded.stack.setConfig("grants:requestTimeoutSeconds", { value: "2" });
});

afterAll(async () => {
  if (faults !== undefined) faults.enabled = false;
  await recorded?.stack.destroy().catch(() => undefined);
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await proxy?.close();
  await sdk?.close();
  await server?.close();
});

async function onServer() {
  const providers = await sdk.providers.list();
  const clients = (
    await Promise.all(providers.map((provider) => sdk.clients.list(provider.id)))
  ).flat();
  const clientGrants: ClientGrant[] = [];
  for await (const grant of sdk.clientGrants.list()) clientGrants.push(grant);
  return { providers, clients, clientGrants };
}

/** The ids of the provider, clients and grants the stack state holds. */
async function idsInState(): Promise<Set<string>> {
  const exported = await recorded.stack.exportStack();
  const resources = (exported.deployment as { resources?: { type: string; id?: string }[] })
    .resources;
  return new Set(
    (resources ?? [])
      .filter((resource) => !resource.type.startsWith("pulumi:") && resource.id !== undefined)
      .map((resource) => resource.id!),
  );
}

describe("a stack of 1 provider, 10 clients and 200 grants through 20 % faults", () => {
  it(
    "converges in at most two ups, leaves exactly what it declares, and destroys to empty",
    { timeout: 4 * OPERATION_TIMEOUT_MS },
    async () => {
      let runs = 0;
      let converged = false;
      const failures: string[] = [];
      while (!converged && runs < 2) {
        runs += 1;
        try {
          await recorded.stack.up(
            recorded.record({ signal: AbortSignal.timeout(OPERATION_TIMEOUT_MS) }),
          );
          converged = true;
        } catch (error) {
          failures.push(
            (error as Error).message
              .split("\n")
              .filter((l) => /error/i.test(l))
              .join("\n"),
          );
        }
      }
      expect(converged, `runs: ${runs}\n${failures.join("\n---\n")}`).toBe(true);
      console.info(
        `faulty network: up converged in ${runs} run(s) after ${proxy.requests.length} requests; faults met: ${JSON.stringify(faults.counts())}`,
      );
      // Faults of every kind were met, or the test proves less than it says.
      expect(Object.keys(faults.counts()).sort()).toEqual(
        [
          "429 Retry-After: 1",
          "503",
          "connection reset",
          "stall",
          "502 after the server acted",
        ].sort(),
      );

      const live = await onServer();
      expect(live.providers).toHaveLength(1);
      expect(live.clients).toHaveLength(CLIENTS);
      expect(new Set(live.clients.map((client) => client.name)).size).toBe(CLIENTS);
      expect(live.clientGrants).toHaveLength(GRANTS);
      const naturalKeys = live.clientGrants.map((grant) => `${grant.client_id} ${grant.audience}`);
      expect(new Set(naturalKeys).size).toBe(GRANTS);
      // No orphans: every object on the server is one the state knows, and the reverse.
      const everything = [
        ...live.providers.map((provider) => provider.id),
        ...live.clients.map((client) => client.id),
        ...live.clientGrants.map((grant) => grant.id),
      ];
      expect(new Set(everything)).toEqual(await idsInState());

      await recorded.stack.preview({
        expectNoChanges: true,
        signal: AbortSignal.timeout(OPERATION_TIMEOUT_MS),
      });

      await recorded.stack.destroy(
        recorded.record({ signal: AbortSignal.timeout(OPERATION_TIMEOUT_MS) }),
      );
      const after = await onServer();
      expect({
        providers: after.providers.length,
        clients: after.clients.length,
        grants: after.clientGrants.length,
      }).toEqual({ providers: 0, clients: 0, grants: 0 });
    },
  );
});
