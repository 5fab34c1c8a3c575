import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { ClientGrant, GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";
import { loadGrantsPackage, loadProviderCode } from "../support/provider-package";
import {
  createGrantsStack,
  plaintextLeaks,
  stepsOf,
  storedStateText,
} from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";

const grants = loadGrantsPackage();

/** What the program declares; the steps below change it between operations. */
const declared = {
  ordersScopes: ["orders:write", "orders:read"],
  ordersAudience: "https://orders.example.com",
  withTokens: true,
  issuerName: "issuer",
  billingName: "billing",
  reporterDeleteBeforeReplace: false,
};

function program() {
  const issuer = new grants.Provider(declared.issuerName, {
    name: "lifecycle-issuer",
    description: "engine lifecycle test",
  });
  const deployer = new grants.Client("deployer", {
    providerId: issuer.id,
    name: "deployer",
    audience: "https://deploy.example.com",
  });
  const reporter = new grants.Client(
    "reporter",
    { providerId: issuer.id, name: "reporter", audience: "https://reports.example.com" },
    { deleteBeforeReplace: declared.reporterDeleteBeforeReplace },
  );
  const orders = new grants.ClientGrant("orders", {
    clientId: deployer.id,
    audience: declared.ordersAudience,
    scopes: declared.ordersScopes,
  });
  const billing = new grants.ClientGrant(declared.billingName, {
    clientId: deployer.id,
    audience: "https://billing.example.com",
    scopes: ["invoices:read"],
    organizationUsage: "allow",
  });
  const reports = new grants.ClientGrant("reports", {
    clientId: reporter.id,
    audience: "https://reports.example.com",
    allowAllScopes: true,
  });
  const outputs: Record<string, unknown> = {
    providerId: issuer.id,
    issuer: issuer.issuer,
    grantIds: { orders: orders.id, billing: billing.id, reports: reports.id },
    reporterId: reporter.id,
    deployerSecret: deployer.clientSecret,
    reporterSecret: reporter.clientSecret,
  };
  if (declared.withTokens) {
    outputs.mintedToken = grants.getAccessToken({
      providerId: issuer.id,
      clientId: reporter.id,
      expiresInSeconds: 600,
    }).accessToken;
    outputs.clientCredentialsToken = grants.getClientCredentialsToken({
      tokenUrl: deployer.tokenEndpoint,
      clientId: deployer.id,
      clientSecret: deployer.clientSecret,
      // Reading the audience from the grant makes the token request wait for the grant.
      audience: orders.audience,
      scopes: ["orders:read"],
    });
  }
  return Promise.resolve(outputs);
}

let server: TestServer;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;
/** Plaintext secrets seen along the way, to look for in state and output at the end. */
const secrets: Record<string, string | undefined> = {};

async function grantsOnServer(): Promise<ClientGrant[]> {
  const all: ClientGrant[] = [];
  for await (const grant of sdk.clientGrants.list()) all.push(grant);
  return all;
}

/** The URN in the state that ends with a suffix (`Client::reporter`), for `up --replace`. */
async function urnsInState(): Promise<(suffix: string) => string> {
  const resources = (await recorded.stack.exportStack()).deployment.resources as { urn: string }[];
  return (suffix) => resources.find((resource) => resource.urn.endsWith(suffix))!.urn;
}

async function grantIds(): Promise<Record<string, string>> {
  return (await recorded.stack.outputs()).grantIds!.value as Record<string, string>;
}

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-lifecycle",
    program: () => program(),
    target: server,
  });
  secrets.adminToken = server.adminToken;
});

afterAll(async () => {
  // Leave nothing behind even when a step failed half-way.
  await recorded?.stack.destroy().catch(() => undefined);
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await sdk?.close();
  await server?.close();
});

describe("a stack of one provider, two clients and three grants, driven by the Pulumi engine", () => {
  it(
    "is created by up, with client secrets and tokens as secret outputs",
    { timeout: 240_000 },
    async () => {
      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.resourceChanges).toMatchObject({ create: 7 });
      for (const key of [
        "deployerSecret",
        "reporterSecret",
        "mintedToken",
        "clientCredentialsToken",
      ]) {
        expect(up.outputs[key]?.secret, key).toBe(true);
      }
      secrets.deployerSecret = up.outputs.deployerSecret!.value as string;
      secrets.reporterSecret = up.outputs.reporterSecret!.value as string;
      secrets.mintedToken = up.outputs.mintedToken!.value as string;
      const ccToken = up.outputs.clientCredentialsToken!.value as {
        accessToken: string;
        scopes?: string[];
      };
      secrets.clientCredentialsToken = ccToken.accessToken;
      expect(ccToken.scopes).toEqual(["orders:read"]);

      expect(await sdk.providers.list()).toHaveLength(1);
      const grantsNow = await grantsOnServer();
      expect(grantsNow).toHaveLength(3);
      const orders = grantsNow.find((grant) => grant.audience === declared.ordersAudience);
      expect([...(orders?.scope ?? [])].sort()).toEqual(["orders:read", "orders:write"]);
    },
  );

  it(
    "previews no changes, also after the program reorders scopes",
    { timeout: 120_000 },
    async () => {
      await recorded.stack.preview(recorded.record({ expectNoChanges: true }));
      declared.ordersScopes = ["orders:read", "orders:write", "orders:read"];
      const preview = await recorded.stack.preview(recorded.record({ expectNoChanges: true }));
      expect(preview.changeSummary).toEqual({ same: 7 });
    },
  );

  it(
    "detects scopes changed out of band: refresh is not clean, and a refreshing preview shows exactly that update",
    { timeout: 180_000 },
    async () => {
      declared.withTokens = false;
      const { orders } = await grantIds();
      await sdk.clientGrants.update(orders!, { scope: ["orders:read"] });

      await expect(
        recorded.stack.refresh(recorded.record({ expectNoChanges: true })),
      ).rejects.toThrow();

      const before = recorded.events().length;
      const preview = await recorded.stack.preview(recorded.record({ refresh: true, diff: true }));
      expect(preview.changeSummary).toMatchObject({ update: 1 });
      const changed = stepsOf(recorded.events().slice(before)).filter(
        (step) => step.op !== "same" && step.op !== "refresh" && step.op !== "read",
      );
      expect(changed).toEqual([
        // Dynamic providers cannot report which keys changed, so `diffs` stays empty.
        expect.objectContaining({
          op: "update",
          urn: expect.stringMatching(/ClientGrant::orders$/),
        }),
      ]);
      // The display compares old and new inputs itself: only `scopes` is marked as changed.
      expect(preview.stdout.match(/^\s*~ \w+\s+:/gm)?.map((line) => line.trim())).toEqual([
        expect.stringMatching(/^~ scopes/),
      ]);
    },
  );

  it("restores the drifted scopes with up", { timeout: 120_000 }, async () => {
    const up = await recorded.stack.up(recorded.record());
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    const { orders } = await grantIds();
    expect([...((await sdk.clientGrants.get(orders!)).scope ?? [])].sort()).toEqual([
      "orders:read",
      "orders:write",
    ]);
    await recorded.stack.preview(recorded.record({ expectNoChanges: true }));
  });

  it(
    "drops a grant deleted out of band on refresh, with a warning, and recreates it with up",
    { timeout: 180_000 },
    async () => {
      const { billing } = await grantIds();
      await sdk.clientGrants.delete(billing!);

      const refresh = await recorded.stack.refresh(recorded.record());
      expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
      expect(recorded.output()).toContain(`grants:ClientGrant ${billing} `);
      const state = await recorded.stack.exportStack();
      expect(JSON.stringify(state.deployment)).not.toContain(`ClientGrant::billing`);

      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
      const recreated = (await grantIds()).billing!;
      expect(recreated).not.toBe(billing);
      expect((await sdk.clientGrants.get(recreated)).organization_usage).toBe("allow");
    },
  );

  it("replaces a grant whose audience changes", { timeout: 120_000 }, async () => {
    const { orders } = await grantIds();
    declared.ordersAudience = "https://orders-v2.example.com";
    declared.withTokens = true;
    const up = await recorded.stack.up(recorded.record());
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    const replaced = (await grantIds()).orders!;
    expect(replaced).not.toBe(orders);
    await expect(sdk.clientGrants.get(orders!)).rejects.toMatchObject({ code: "GRANTS_NOT_FOUND" });
    expect((await sdk.clientGrants.get(replaced)).audience).toBe("https://orders-v2.example.com");
    secrets.mintedTokenAfterReplace = up.outputs.mintedToken!.value as string;
  });

  it(
    "keeps the objects when `up --replace` targets a client and a grant whose natural keys stay, and when a provider and a grant are renamed without aliases",
    { timeout: 240_000 },
    async () => {
      const before = await recorded.stack.outputs();
      const reporterId = before.reporterId!.value as string;
      const ids = await grantIds();
      const urnOf = await urnsInState();

      // Create before delete: each new resource adopts the object of the one it replaces, whose
      // delete must then leave the object (and the reporter's grant under it) alone.
      const replaced = await recorded.stack.up(
        recorded.record({ replace: [urnOf("Client::reporter"), urnOf("ClientGrant::orders")] }),
      );
      expect(replaced.summary.resourceChanges).toMatchObject({ replace: 2 });
      expect((await recorded.stack.outputs()).reporterId!.value).toBe(reporterId);
      expect(await grantIds()).toEqual(ids);
      expect((await sdk.clients.get(before.providerId!.value as string, reporterId)).id).toBe(
        reporterId,
      );
      for (const id of Object.values(ids)) expect((await sdk.clientGrants.get(id)).id).toBe(id);

      declared.issuerName = "issuer-renamed";
      declared.billingName = "billing-renamed";
      const renamed = await recorded.stack.up(recorded.record());
      expect(renamed.summary.resourceChanges).toMatchObject({ create: 2, delete: 2 });
      expect((await recorded.stack.outputs()).providerId!.value).toBe(before.providerId!.value);
      expect(await grantIds()).toEqual(ids);
      expect(await sdk.providers.list()).toHaveLength(1);
      expect(await grantsOnServer()).toHaveLength(3);
      await recorded.stack.refresh(recorded.record({ expectNoChanges: true }));
    },
  );

  it(
    "gives a client a new id and secret with `up --replace` when it deletes before replacing",
    { timeout: 180_000 },
    async () => {
      const before = await recorded.stack.outputs();
      const providerId = before.providerId!.value as string;
      const reporterId = before.reporterId!.value as string;
      const reportsGrant = (await grantIds()).reports!;
      const reporterUrn = (await urnsInState())("Client::reporter");

      declared.reporterDeleteBeforeReplace = true;
      const up = await recorded.stack.up(recorded.record({ replace: [reporterUrn] }));
      const newId = up.outputs.reporterId!.value as string;
      expect(newId).not.toBe(reporterId);
      expect(up.outputs.reporterSecret?.value).toEqual(expect.any(String));
      secrets.reporterSecretAfterReplace = up.outputs.reporterSecret!.value as string;
      await expect(sdk.clients.get(providerId, reporterId)).rejects.toMatchObject({
        code: "GRANTS_NOT_FOUND",
      });
      // Its grant went with it and was made again for the new client.
      await expect(sdk.clientGrants.get(reportsGrant)).rejects.toMatchObject({
        code: "GRANTS_NOT_FOUND",
      });
      expect((await sdk.clientGrants.get((await grantIds()).reports!)).client_id).toBe(newId);
    },
  );

  it(
    "keeps every client secret, access token and the admin token out of state, serialized providers and CLI output",
    { timeout: 120_000 },
    async () => {
      const state = await storedStateText(recorded, sandbox.stateDir);
      const serialized = Object.values(loadProviderCode());
      expect(state).toContain('"ciphertext"'); // the secrets are there, encrypted
      expect(
        plaintextLeaks(
          { state, serializedProviders: serialized.join("\n"), cliOutput: recorded.output() },
          secrets,
        ),
      ).toEqual([]);
    },
  );

  it(
    "destroys everything, leaving no provider and no grant on the server",
    { timeout: 120_000 },
    async () => {
      const destroy = await recorded.stack.destroy(recorded.record());
      expect(destroy.summary.resourceChanges).toMatchObject({ delete: 7 });
      expect(await sdk.providers.list()).toEqual([]);
      expect(await grantsOnServer()).toEqual([]);
      expect(plaintextLeaks({ cliOutput: recorded.output() }, secrets)).toEqual([]);
      void pulumi; // the program above runs on this runtime
    },
  );
});
