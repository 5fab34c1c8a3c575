import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";
import { runGrantsCli } from "./_cli";

// The two changes of the review's eight that the access-review fixture cannot make (it runs on
// the useGrant backend, whose clients have no token lifetime or auth method): a raised token
// lifetime and a weaker auth method, on a nevisMeta client of test/fixtures/policy-program,
// reviewed from the real `pulumi preview --json`.

let server: TestServer;
let project: PulumiProject;

beforeAll(async () => {
  server = await startTestServer();
  project = copyPulumiProject(path.join(projectRoot, "test", "fixtures", "policy-program"), {
    env: {
      GRANTS_API_URL: server.url,
      GRANTS_API_TOKEN: server.adminToken,
      GRANTS_BACKEND: "nevis",
    },
  });
  await project.ok(["stack", "init", "dev"]);
  await project.ok(["config", "set", "stage", "compliant"]);
  await project.ok(["up", "--yes", "--skip-preview"]);
}, 240_000);

afterAll(async () => {
  await project?.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
  project?.cleanup();
  await server?.close();
});

describe("pulumi-grants review of client settings, from the engine's preview", () => {
  it(
    "reports a raised token lifetime and a weaker auth method as widening",
    { timeout: 120_000 },
    async () => {
      await project.ok(["config", "set", "stage", "settings"]);
      const preview = await project.run(["preview", "--json"]);
      expect(preview.code, preview.stderr).toBe(0);
      const json = await runGrantsCli(
        ["review", "--format", "json", "--fail-on", "widen"],
        preview.stdout,
      );
      expect(json.code).toBe(1);
      const { changes } = JSON.parse(json.stdout) as {
        changes: { effect: string; kind: string; resource: string; field?: string }[];
      };
      expect(changes.map((c) => `${c.effect} ${c.kind} ${c.resource} ${c.field ?? ""}`)).toEqual([
        "widens client-setting worker accessTokenTtlSeconds",
        "widens client-setting worker tokenEndpointAuthMethod",
      ]);
      const text = await runGrantsCli(["review"], preview.stdout);
      expect(text.stdout.trimEnd().split("\n")).toEqual([
        "Access review: access widens, 2 changes (2 widen, 0 narrow, 0 neutral)",
        "",
        "WIDENS",
        "  report-worker  [Client worker]",
        "    accessTokenTtlSeconds: 300 → 1800",
        "    tokenEndpointAuthMethod: client_secret_basic → client_secret_post",
      ]);
    },
  );
});
