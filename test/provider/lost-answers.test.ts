import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { ClientGrant, GrantsClient } from "../../sdk/index";
import { startFaultProxy } from "../support/fault-proxy";
import type { FaultProxy, ProxiedRequest } from "../support/fault-proxy";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { loadGrantsPackage } from "../support/provider-package";
import { createGrantsStack } from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";

const grants = loadGrantsPackage();

/** How much of the program exists; each step adds the next kind. */
const declared = { client: false, grant: false };

function program() {
  const issuer = new grants.Provider("issuer", { name: "lost-answers", description: "faults" });
  const outputs: Record<string, unknown> = { providerId: issuer.id };
  if (declared.client) {
    const app = new grants.Client("app", {
      providerId: issuer.id,
      name: "lost-answers-app",
      audience: "https://lost.example.com",
    });
    outputs.clientId = app.id;
    outputs.clientSecret = app.clientSecret;
    if (declared.grant) {
      const grant = new grants.ClientGrant("grant", {
        clientId: app.id,
        audience: "https://lost.example.com",
        scopes: ["read"],
      });
      outputs.grantId = grant.id;
    }
  }
  return Promise.resolve(outputs);
}

let server: TestServer;
let proxy: FaultProxy;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-lost-answers",
    program: () => program(),
    target: { url: proxy.url, adminToken: server.adminToken },
  });
});

afterAll(async () => {
  proxy?.plan(() => ({ type: "forward" }));
  await recorded?.stack.destroy().catch(() => undefined);
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await proxy?.close();
  await sdk?.close();
  await server?.close();
});

/**
 * Every create POST to `createPath` is applied by the server but its answer is lost (the
 * connection resets), and once one was sent, every listing at `listPath` fails too, so the
 * run cannot read the object back: the create fails in this run, as after a crash.
 */
function loseCreatesAt(createPath: RegExp, listPath: RegExp): void {
  let posted = false;
  proxy.plan((request: ProxiedRequest) => {
    const path = request.path.split("?")[0]!;
    if (request.method === "POST" && createPath.test(path)) {
      posted = true;
      return { type: "forward-and-reset" };
    }
    if (posted && request.method === "GET" && listPath.test(path)) {
      return {
        type: "respond",
        status: 500,
        body: { code: "internal_server_error", message: "x" },
      };
    }
    return { type: "forward" };
  });
}

async function grantsOnServer(): Promise<ClientGrant[]> {
  const all: ClientGrant[] = [];
  for await (const grant of sdk.clientGrants.list()) all.push(grant);
  return all;
}

async function counts() {
  const providers = await sdk.providers.list();
  const clients = (
    await Promise.all(providers.map((provider) => sdk.clients.list(provider.id)))
  ).flat();
  return {
    providers: providers.length,
    clients: clients.length,
    grants: (await grantsOnServer()).length,
  };
}

describe("a create whose answer was lost after the server wrote it", () => {
  it(
    "leaves exactly one provider after the next up, adopted with a warning",
    { timeout: 300_000 },
    async () => {
      loseCreatesAt(/^\/v1\/providers$/, /^\/v1\/providers$/);
      await expect(recorded.stack.up(recorded.record())).rejects.toThrow();
      expect((await counts()).providers).toBe(1);

      proxy.plan(() => ({ type: "forward" }));
      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
      expect(recorded.output()).toContain("adopting");
      expect(await counts()).toEqual({ providers: 1, clients: 0, grants: 0 });
      expect(up.outputs.providerId?.value).toBe((await sdk.providers.list())[0]!.id);
    },
  );

  it("leaves exactly one client after the next up", { timeout: 300_000 }, async () => {
    declared.client = true;
    loseCreatesAt(/^\/v1\/providers\/[^/]+\/clients$/, /^\/v1\/providers\/[^/]+\/clients$/);
    await expect(recorded.stack.up(recorded.record())).rejects.toThrow();
    expect((await counts()).clients).toBe(1);

    proxy.plan(() => ({ type: "forward" }));
    await recorded.stack.up(recorded.record());
    expect(await counts()).toEqual({ providers: 1, clients: 1, grants: 0 });
  });

  it("leaves exactly one client grant after the next up", { timeout: 300_000 }, async () => {
    declared.grant = true;
    loseCreatesAt(/^\/api\/v2\/client-grants$/, /^\/api\/v2\/client-grants$/);
    await expect(recorded.stack.up(recorded.record())).rejects.toThrow();
    expect((await counts()).grants).toBe(1);

    proxy.plan(() => ({ type: "forward" }));
    await recorded.stack.up(recorded.record());
    expect(await counts()).toEqual({ providers: 1, clients: 1, grants: 1 });
  });

  it(
    "converges in one run when only the answers are lost: the retries replay them",
    { timeout: 300_000 },
    async () => {
      await recorded.stack.destroy(recorded.record());
      expect(await counts()).toEqual({ providers: 0, clients: 0, grants: 0 });
      // The first attempt of every create is applied, then its connection reset.
      const lost = new Set<string>();
      proxy.plan(({ method, path }) => {
        if (method !== "POST" || lost.has(path)) return { type: "forward" };
        lost.add(path);
        return { type: "forward-and-reset" };
      });
      const up = await recorded.stack.up(recorded.record());
      expect(lost.size).toBe(3);
      expect(await counts()).toEqual({ providers: 1, clients: 1, grants: 1 });
      // Replayed, not adopted: the client's secret came back with the replayed answer.
      expect(up.outputs.clientSecret?.value).toEqual(expect.any(String));
      proxy.plan(() => ({ type: "forward" }));
      await recorded.stack.preview({ expectNoChanges: true });
      await recorded.stack.destroy(recorded.record());
      expect(await counts()).toEqual({ providers: 0, clients: 0, grants: 0 });
    },
  );
});
