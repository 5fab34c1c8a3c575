import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";
import { plaintextLeaks } from "../support/provider-stack";
import { runGrantsCli } from "./_cli";
import { mermaidBlock, parseMermaid } from "./_mermaid";

// The review's eight changes, all from one real `pulumi preview --json`: test/fixtures/review-eight
// on `grants:backend nevis` (its clients have a token lifetime and an auth method), deployed at
// stage `before` and previewed at stage `after`. The golden files hold names, scopes and
// audiences only (no ids, no times); after a deliberate change of the output, rewrite them with
// `npx vitest run test/review/eight-changes-engine.test.ts -u` and review the diff.

let server: TestServer;
let project: PulumiProject;
/** Plaintext secrets to look for in every output. */
const secrets: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = await startTestServer();
  project = copyPulumiProject(path.join(projectRoot, "test", "fixtures", "review-eight"), {
    env: {
      GRANTS_API_URL: server.url,
      GRANTS_API_TOKEN: server.adminToken,
      GRANTS_BACKEND: "nevis",
    },
  });
  await project.ok(["stack", "init", "dev"]);
  await project.ok(["config", "set", "stage", "before"]);
  await project.ok(["up", "--yes", "--skip-preview"]);
  const outputs = JSON.parse(
    (await project.ok(["stack", "output", "--json", "--show-secrets"])).stdout,
  );
  secrets.deployerSecret = outputs.deployerSecret;
  secrets.adminToken = server.adminToken;
}, 240_000);

afterAll(async () => {
  await project?.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
  project?.cleanup();
  await server?.close();
});

describe("pulumi-grants review of a program changed in eight ways, from the engine's preview", () => {
  it(
    "reports exactly the eight changes, classified, in at most 40 lines, as the golden files hold",
    { timeout: 180_000 },
    async () => {
      await project.ok(["config", "set", "stage", "after"]);
      const preview = await project.run(["preview", "--json"]);
      // `preview --json` exits 0 for a valid plan; anything else is a broken fixture.
      expect(preview.code, preview.stderr).toBe(0);
      const json = preview.stdout;
      const text = await runGrantsCli(["review"], json);
      const markdown = await runGrantsCli(["review", "--format", "markdown"], json);
      const asJson = await runGrantsCli(["review", "--format", "json", "--fail-on", "widen"], json);

      expect(asJson.code).toBe(1);
      expect(asJson.stderr).toContain("--fail-on widen");
      const { changes } = JSON.parse(asJson.stdout) as {
        changes: { effect: string; kind: string; resource: string; field?: string }[];
      };
      expect(changes.map((c) => [c.effect, c.kind, c.resource, c.field ?? ""])).toEqual([
        ["widens", "client-created", "auditor", ""],
        ["widens", "client-setting", "deployer", "accessTokenTtlSeconds"],
        ["widens", "client-setting", "deployer", "tokenEndpointAuthMethod"],
        ["widens", "grant-replaced", "deployer-catalog", "audience"],
        ["widens", "scopes-added", "deployer-orders", "scopes"],
        ["widens", "allow-all-scopes-on", "reporter-reports", "allowAllScopes"],
        ["narrows", "scopes-removed", "deployer-invoices", "scopes"],
        ["narrows", "grant-deleted", "reporter-metrics", ""],
      ]);

      expect(text.code).toBe(0);
      expect(text.stdout.trimEnd().split("\n").length).toBeLessThanOrEqual(40);
      await expect(text.stdout).toMatchFileSnapshot("golden/engine-eight.txt");
      await expect(markdown.stdout).toMatchFileSnapshot("golden/engine-eight.md");
      const graph = mermaidBlock(markdown.stdout);
      expect(await parseMermaid(graph)).toMatchObject({ diagramType: "flowchart-v2" });

      // The client secret is a Pulumi secret: the preview carries its marker, never its value.
      expect(json).toContain('"[secret]"');
      const outputs = { json, text: text.stdout, markdown: markdown.stdout, asJson: asJson.stdout };
      expect(plaintextLeaks(outputs, secrets)).toEqual([]);
    },
  );
});
