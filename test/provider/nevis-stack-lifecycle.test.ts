import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";
import { loadGrantsPackage } from "../support/provider-package";
import {
  createGrantsStack,
  plaintextLeaks,
  stepsOf,
  storedStateText,
} from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";

const grants = loadGrantsPackage();

/** What the program declares; the steps change it between operations. */
const declared = { accessTokenTtlSeconds: 300, owner: "team-reports" };

function program() {
  const issuer = new grants.Provider("setup", {
    name: "nevis-lifecycle",
    description: "nevisMeta engine lifecycle test",
  });
  const worker = new grants.Client("worker", {
    providerId: issuer.id,
    name: "report-worker",
    accessTokenTtlSeconds: declared.accessTokenTtlSeconds,
    owner: declared.owner,
    scopes: ["reports:read"],
  });
  const grant = new grants.ClientGrant("reports", {
    clientId: worker.id,
    audience: "https://reports.example.com",
    scopes: ["reports:read"],
  });
  return Promise.resolve({
    setupId: issuer.id,
    clientId: worker.id,
    secret: worker.clientSecret,
    grantId: grant.id,
  });
}

let server: TestServer;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;
let setupId: string;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-nevis-lifecycle",
    program: () => program(),
    target: server,
  });
  await recorded.stack.setConfig("grants:backend", { value: "nevis" });
});

afterAll(async () => {
  await recorded?.stack.destroy().catch(() => undefined);
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await sdk?.close();
  await server?.close();
});

describe("a Client on grants:backend nevis, driven by the Pulumi engine", () => {
  it("is created by up as a nevisMeta client with its metadata", { timeout: 240_000 }, async () => {
    const up = await recorded.stack.up(recorded.record());
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    setupId = up.outputs.setupId!.value as string;
    clientId = up.outputs.clientId!.value as string;
    clientSecret = up.outputs.secret!.value as string;
    expect(up.outputs.secret!.secret).toBe(true);
    const live = await sdk.nevisMeta.clients.get(setupId, clientId);
    expect(live).toMatchObject({
      name: "report-worker",
      access_token_ttl: 300,
      owner: "team-reports",
      grant_types: ["client_credentials"],
      scopes: ["reports:read"],
    });
  });

  it("previews no changes", { timeout: 120_000 }, async () => {
    const preview = await recorded.stack.preview(recorded.record({ expectNoChanges: true }));
    expect(preview.changeSummary).toEqual({ same: 4 });
  });

  it(
    "changes the token lifetime in place: same id, same secret",
    { timeout: 180_000 },
    async () => {
      declared.accessTokenTtlSeconds = 600;
      const before = recorded.events().length;
      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.resourceChanges).toMatchObject({ update: 1, same: 3 });
      const steps = stepsOf(recorded.events().slice(before)).filter((step) => step.op !== "same");
      expect(steps).toEqual([
        expect.objectContaining({ op: "update", urn: expect.stringMatching(/Client::worker$/) }),
      ]);
      expect(up.outputs.clientId!.value).toBe(clientId);
      expect(up.outputs.secret!.value).toBe(clientSecret);
      expect((await sdk.nevisMeta.clients.get(setupId, clientId)).access_token_ttl).toBe(600);
    },
  );

  it("shows an out-of-band PUT as drift on refresh", { timeout: 180_000 }, async () => {
    await sdk.nevisMeta.clients.replace(setupId, clientId, {
      name: "report-worker",
      grant_types: ["client_credentials"],
      access_token_ttl: 60,
      owner: "someone-else",
      scopes: ["reports:read"],
    });
    await expect(
      recorded.stack.refresh(recorded.record({ expectNoChanges: true })),
    ).rejects.toThrow();
    const preview = await recorded.stack.preview(recorded.record({ refresh: true, diff: true }));
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toContain("accessTokenTtlSeconds");
    expect(preview.stdout).toContain("someone-else");
  });

  it(
    "is destroyed, and the stored state holds no secret in plaintext",
    { timeout: 180_000 },
    async () => {
      const state = await storedStateText(recorded, sandbox.stateDir);
      expect(
        plaintextLeaks(
          { state, output: recorded.output() },
          {
            clientSecret,
            adminToken: server.adminToken,
          },
        ),
      ).toEqual([]);
      await recorded.stack.destroy(recorded.record());
      expect(await sdk.nevisMeta.clients.list(setupId).catch(() => [])).toEqual([]);
      expect(await sdk.providers.list()).toEqual([]);
    },
  );
});
