import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { GRANTS_ENV_VARS } from "../support/provider-config";
import { loadGrantsPackage } from "../support/provider-package";
import { createGrantsStack } from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";

// What `up` would fail on half-way must fail `pulumi preview`, naming the setting to fix; and
// the `up` that a user might still run after it fails the same way before creating anything.

const grants = loadGrantsPackage();
const MISSING_CLIENT = "00000000-0000-4000-8000-00000000c11e";

/** Which program runs: the whole stack, or one grant for a literal client id. */
let shape: "stack" | "literal-client" = "stack";

function program() {
  if (shape === "literal-client") {
    new grants.ClientGrant("grant", {
      clientId: MISSING_CLIENT,
      audience: "https://api.example.com",
      scopes: ["read"],
    });
    return Promise.resolve({});
  }
  const issuer = new grants.Provider("issuer", { name: "preview-checks", description: "d" });
  const app = new grants.Client("app", {
    providerId: issuer.id,
    name: "preview-app",
    audience: "https://api.example.com",
  });
  new grants.ClientGrant("grant", {
    clientId: app.id,
    audience: "https://api.example.com",
    scopes: ["read"],
  });
  return Promise.resolve({});
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let server: TestServer;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;

beforeAll(async () => {
  // Settings must come from stack config only: the CLI and its plugins inherit this environment.
  for (const name of GRANTS_ENV_VARS) vi.stubEnv(name, undefined);
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-preview-checks",
    program: () => program(),
    target: server,
  });
});

afterAll(async () => {
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await sdk?.close();
  await server?.close();
  vi.unstubAllEnvs();
});

async function configure(url: string, token: string) {
  await recorded.stack.setAllConfig({
    "grants:apiUrl": { value: url },
    "grants:apiToken": { value: token, secret: true },
  });
}

async function failureOf(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  expect(error, "the operation should have failed").toBeInstanceOf(Error);
  return error!.message;
}

async function nothingOnServer() {
  const grantsLeft = [];
  for await (const grant of sdk.clientGrants.list()) grantsLeft.push(grant);
  return { providers: (await sdk.providers.list()).length, grants: grantsLeft.length };
}

describe("pulumi preview fails on what up would fail on, and up then creates nothing", () => {
  it("a token the server rejects names grants:apiToken", { timeout: 300_000 }, async () => {
    shape = "stack";
    await configure(server.url, "wrong-token-0123456789");
    const preview = await failureOf(() => recorded.stack.preview());
    expect(preview).toMatch(/preview check failed: .*401 Unauthorized.*Check grants:apiToken\./);
    expect(preview).not.toContain("wrong-token-0123456789");
    const up = await failureOf(() => recorded.stack.up());
    expect(up).toContain("grants:apiToken");
    expect(await nothingOnServer()).toEqual({ providers: 0, grants: 0 });
  });

  it(
    "a stopped server names grants:apiUrl and asks whether it runs",
    { timeout: 300_000 },
    async () => {
      shape = "stack";
      const url = `http://127.0.0.1:${await closedPort()}`;
      await configure(url, server.adminToken);
      const preview = await failureOf(() => recorded.stack.preview());
      expect(preview).toContain(
        `preview check failed: the connection to ${url} was refused. Is the grant server running there? Check grants:apiUrl.`,
      );
      expect(preview).not.toContain(server.adminToken);
    },
  );

  it("a client id that names no client is named", { timeout: 300_000 }, async () => {
    shape = "literal-client";
    await configure(server.url, server.adminToken);
    const preview = await failureOf(() => recorded.stack.preview());
    expect(preview).toContain(`clientId "${MISSING_CLIENT}" names no client at ${server.url}`);
    const up = await failureOf(() => recorded.stack.up());
    expect(up).toContain(`clientId "${MISSING_CLIENT}" names no client`);
    expect(await nothingOnServer()).toEqual({ providers: 0, grants: 0 });
  });
});
