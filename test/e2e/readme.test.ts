import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject, type PulumiProject } from "../support/pulumi-project";

// The README's program is what a newcomer copies first: it must run as printed.
describe("the README", { timeout: 180_000 }, () => {
  let server: TestServer;
  let project: PulumiProject;
  let source: string;

  beforeAll(async () => {
    server = await startTestServer();
    const readme = readFileSync(path.join(projectRoot, "README.md"), "utf8");
    const program = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    if (program === undefined) throw new Error("README.md has no ```ts block");
    source = mkdtempSync(path.join(os.tmpdir(), "pulumi-grants-readme-"));
    writeFileSync(
      path.join(source, "Pulumi.yaml"),
      "name: readme\nruntime: nodejs\nmain: index.ts\n",
    );
    writeFileSync(path.join(source, "index.ts"), program);
    project = copyPulumiProject(source, {
      env: { GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken },
    });
  });
  afterAll(async () => {
    project?.cleanup();
    rmSync(source, { recursive: true, force: true });
    await server?.close();
  });

  it("shows a program that creates an issuer, a client and a grant and reads a secret token", async () => {
    await project.ok(["stack", "init", "readme"]);
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/\+ 4 created/);
    const outputs = JSON.parse((await project.ok(["stack", "output", "--json"])).stdout);
    expect(outputs.token).toBe("[secret]");
    await project.ok(["destroy", "--yes", "--skip-preview"]);
  });
});
