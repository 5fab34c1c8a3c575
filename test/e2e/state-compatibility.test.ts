import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { ClientGrant, GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";
import { pointedAt, stateFixtures, stateFixturesDir } from "../support/state-fixtures";

// State written by an older release, driven by this one through the real engine: the grant
// server reopens that release's SQLite file (so a store migration that breaks old data fails
// here too), the stack imports that release's `pulumi stack export`, and refresh, update and
// destroy run the `__provider` text that state holds.
describe.each(stateFixtures())(
  "a stack exported by release $release",
  { timeout: 300_000 },
  (fixture) => {
    let dataDir: string;
    let server: TestServer;
    let sdk: GrantsClient;
    let project: PulumiProject;
    const resources = fixture.deployment.deployment.resources;
    const idOf = (suffix: string) =>
      resources.find((resource) => resource.urn.endsWith(suffix))!.id!;

    async function grantsOnServer(): Promise<ClientGrant[]> {
      const all: ClientGrant[] = [];
      for await (const grant of sdk.clientGrants.list()) all.push(grant);
      return all;
    }

    /** Imports the fixture's state, its provider pointed at this test's server. */
    async function importFixtureState() {
      const file = path.join(dataDir, "import.json");
      writeFileSync(file, JSON.stringify(pointedAt(fixture.deployment, server.url)));
      await project.ok(["stack", "import", "--file", file, "--stack", fixture.stack]);
    }

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "grants-state-fixture-"));
      copyFileSync(path.join(fixture.dir, "grants.db"), path.join(dataDir, "grants.db"));
      server = await startTestServer({
        dataDir,
        adminToken: fixture.adminToken,
        masterKey: fixture.masterKey,
        publicUrl: fixture.publicUrl,
      });
      sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
      project = copyPulumiProject(path.join(stateFixturesDir, "program"), {
        env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase },
      });
      await project.ok(["stack", "init", fixture.stack]);
      await project.ok(["config", "set", "grants:apiUrl", server.url]);
      await project.ok(["config", "set", "--secret", "grants:apiToken", fixture.adminToken]);
      await importFixtureState();
    });

    afterAll(async () => {
      project?.cleanup();
      await sdk?.close();
      await server?.close();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    });

    it("refreshes with no changes: the old state, the old server data and this release agree", async () => {
      await project.ok(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
      expect((await sdk.providers.list()).map((provider) => provider.id)).toEqual([
        idOf("::issuer"),
      ]);
      expect((await grantsOnServer()).map((grant) => grant.id).sort()).toEqual(
        [idOf("::orders"), idOf("::reports")].sort(),
      );
    });

    it("updates a grant's scopes in place, keeping every id", async () => {
      const scopes = ["orders:read", "orders:write", "orders:refund"];
      for (const [index, scope] of scopes.entries()) {
        await project.ok(["config", "set", "--path", `ordersScopes[${index}]`, scope]);
      }
      // `up --json` prints one engine event per line; the summary event counts the steps.
      const events = (await project.ok(["up", "--yes", "--skip-preview", "--json"])).stdout
        .split("\n")
        .filter((line) => line.trim().startsWith("{"))
        .map((line) => JSON.parse(line) as { summaryEvent?: { resourceChanges: unknown } });
      const summary = events.find((event) => event.summaryEvent !== undefined)?.summaryEvent;
      expect(summary?.resourceChanges).toEqual({ update: 1, same: 5 });
      expect([...((await sdk.clientGrants.get(idOf("::orders"))).scope ?? [])].sort()).toEqual(
        [...scopes].sort(),
      );
      const outputs = JSON.parse((await project.ok(["stack", "output", "--json"])).stdout);
      expect(outputs.grantIds).toEqual({ orders: idOf("::orders"), reports: idOf("::reports") });
      expect(outputs.clientIds).toEqual({
        deployer: idOf("::deployer"),
        reporter: idOf("::reporter"),
      });
      await project.ok(["preview", "--expect-no-changes"]);
    });

    it("destroys the old state as it was exported, leaving nothing on the server", async () => {
      // The state as that release left it, so destroy runs the old `__provider` text.
      await importFixtureState();
      await project.ok(["destroy", "--yes", "--skip-preview"]);
      expect(await sdk.providers.list()).toEqual([]);
      expect(await grantsOnServer()).toEqual([]);
    });
  },
);
