import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { packTarball } from "../support/provider-package";
import { projectRoot } from "../support/pulumi-engine";
import { pulumiProjectAt } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";

const run = promisify(execFile);

/** pnpm comes from the npm registry, like every other tool of the project. */
const PNPM = "pnpm@12.4.2";
const PULUMI_SDK = "3.276.0";

/** A plain JavaScript program: the layout, not TypeScript, is under test. */
const PROGRAM = `const grants = require("pulumi-grants");
const issuer = new grants.Provider("issuer", { name: process.env.LAYOUT_NAME, description: "layout test" });
const client = new grants.Client("worker", {
  providerId: issuer.id,
  name: "worker",
  audience: "https://worker.example.com",
});
const grant = new grants.ClientGrant("jobs", {
  clientId: client.id,
  audience: "https://jobs.example.com",
  scopes: ["jobs:run"],
});
exports.grantId = grant.id;
`;

/** Writes a JavaScript Pulumi project (Pulumi.yaml, index.js, package.json) into `dir`. */
function writeProgram(dir: string, name: string, packageJson: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.js\n`);
  writeFileSync(path.join(dir, "index.js"), PROGRAM);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(packageJson, null, 2));
}

// One grant server and one packed tarball for both layouts; each layout installs it its own way.
describe("projects laid out the ways real repositories are", { timeout: 600_000 }, () => {
  let base: string;
  let tarball: string;
  let server: TestServer;
  let sdk: GrantsClient;
  const projects: PulumiProject[] = [];
  // The pinned Node first: pnpm and npm run under the same Node as the tests.
  const toolEnv = {
    ...process.env,
    PATH: [path.join(projectRoot, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
  };

  /** up → a preview that must show no changes → destroy, leaving nothing on the server. */
  async function upPreviewDestroy(dir: string, name: string) {
    const project = pulumiProjectAt(dir, {
      env: { GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken, LAYOUT_NAME: name },
    });
    projects.push(project);
    await project.ok(["stack", "select", "--create", "dev"]);
    await project.ok(["up", "--yes", "--skip-preview"]);
    expect((await sdk.providers.list()).map((provider) => provider.name)).toEqual([name]);
    await project.ok(["preview", "--expect-no-changes"]);
    await project.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await sdk.providers.list()).toEqual([]);
  }

  beforeAll(async () => {
    base = realpathSync(mkdtempSync(path.join(os.tmpdir(), "grants-layouts-")));
    tarball = await packTarball(base);
    server = await startTestServer();
    sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  });

  afterAll(async () => {
    for (const project of projects) project.cleanup();
    await sdk?.close();
    await server?.close();
    if (base !== undefined) rmSync(base, { recursive: true, force: true });
  });

  it("an npm-workspaces monorepo, pulumi-grants hoisted to the root node_modules and the program in packages/infra, runs up, a clean preview and destroy", async () => {
    const root = path.join(base, "monorepo");
    mkdirSync(root);
    writeFileSync(
      path.join(root, "package.json"),
      JSON.stringify({ name: "monorepo", private: true, workspaces: ["packages/*"] }),
    );
    const infra = path.join(root, "packages", "infra");
    writeProgram(infra, "infra", {
      name: "infra",
      private: true,
      dependencies: { "pulumi-grants": `file:${tarball}`, "@pulumi/pulumi": PULUMI_SDK },
    });
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: root,
      env: toolEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The layout under test: both packages live only in the root node_modules.
    for (const name of ["pulumi-grants", "@pulumi/pulumi"]) {
      expect(existsSync(path.join(root, "node_modules", name, "package.json")), name).toBe(true);
      expect(existsSync(path.join(infra, "node_modules", name)), name).toBe(false);
    }
    await upPreviewDestroy(infra, "monorepo-infra");
  });

  it("a pnpm-installed project (strict node_modules of symlinks into .pnpm) runs up, a clean preview and destroy", async () => {
    const project = path.join(base, "pnpm-project");
    writeProgram(project, "pnpm-project", {
      name: "pnpm-project",
      private: true,
      dependencies: { "pulumi-grants": `file:${tarball}`, "@pulumi/pulumi": PULUMI_SDK },
    });
    // pnpm runs no dependency's install script unless allowed; @pulumi/pulumi's protobufjs has one.
    writeFileSync(path.join(project, "pnpm-workspace.yaml"), "allowBuilds:\n  protobufjs: true\n");
    await run("npx", ["--yes", PNPM, "install", "--prefer-offline", "--reporter=silent"], {
      cwd: project,
      env: toolEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The layout under test: the project's node_modules holds links into pnpm's store.
    const linked = realpathSync(path.join(project, "node_modules", "pulumi-grants"));
    expect(linked.includes(`${path.sep}.pnpm${path.sep}`)).toBe(true);
    await upPreviewDestroy(project, "pnpm-project");
  });

  it("a pnpm workspace whose program gets pulumi-grants only through another package fails up with what to do, and works once it is hoisted", async () => {
    const root = path.join(base, "pnpm-workspace");
    const lib = path.join(root, "packages", "grants-lib");
    const infra = path.join(root, "packages", "infra");
    mkdirSync(lib, { recursive: true });
    writeFileSync(
      path.join(lib, "package.json"),
      JSON.stringify({
        name: "grants-lib",
        private: true,
        main: "index.js",
        dependencies: { "pulumi-grants": `file:${tarball}`, "@pulumi/pulumi": PULUMI_SDK },
      }),
    );
    writeFileSync(path.join(lib, "index.js"), 'module.exports = require("pulumi-grants");\n');
    writeProgram(infra, "infra", {
      name: "infra",
      private: true,
      dependencies: { "grants-lib": "workspace:*", "@pulumi/pulumi": PULUMI_SDK },
    });
    writeFileSync(
      path.join(infra, "index.js"),
      PROGRAM.replace('require("pulumi-grants")', 'require("grants-lib")'),
    );
    const workspace = (extra: string) =>
      writeFileSync(
        path.join(root, "pnpm-workspace.yaml"),
        `packages:\n  - packages/*\nallowBuilds:\n  protobufjs: true\n${extra}`,
      );
    const install = () =>
      run("npx", ["--yes", PNPM, "install", "--prefer-offline", "--reporter=silent"], {
        cwd: root,
        env: toolEnv,
        maxBuffer: 16 * 1024 * 1024,
      });
    workspace("");
    await install();
    const project = pulumiProjectAt(infra, {
      env: {
        GRANTS_API_URL: server.url,
        GRANTS_API_TOKEN: server.adminToken,
        LAYOUT_NAME: "hoisted",
      },
    });
    projects.push(project);
    await project.ok(["stack", "select", "--create", "dev"]);
    const failed = await project.run(["up", "--yes", "--skip-preview"]);
    expect(failed.code).not.toBe(0);
    const said = failed.stdout + failed.stderr;
    expect(said).toContain(
      "Cannot find module 'pulumi-grants/internal/provider/resources/provider/crud'",
    );
    expect(said).toContain(
      `from ${infra}: install pulumi-grants and @pulumi/pulumi there, or hoist them`,
    );
    expect(await sdk.providers.list()).toEqual([]);

    // What docs/troubleshooting.md says to do.
    workspace('publicHoistPattern:\n  - pulumi-grants\n  - "@pulumi/pulumi"\n');
    await install();
    await project.ok(["up", "--yes", "--skip-preview"]);
    await project.ok(["preview", "--expect-no-changes"]);
    await project.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await sdk.providers.list()).toEqual([]);
  });
});
