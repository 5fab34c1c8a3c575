import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot, toolsDir } from "../../scripts/pulumi-env.cjs";

// scripts/setup decides which Pulumi CLI to use. Each case runs the real script in a copy of
// the repository's root (its own .tools/, the repository's node_modules), with a PATH that has
// no Go: a run that tried to build would fail, so "finished" means "built nothing".
const cleanups: string[] = [];
afterEach(() => {
  for (const dir of cleanups.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function checkout(): string {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "grants-setup-")));
  cleanups.push(root);
  mkdirSync(path.join(root, "scripts"));
  copyFileSync(path.join(projectRoot, "scripts", "setup"), path.join(root, "scripts", "setup"));
  mkdirSync(path.join(root, "scripts", "language-host"));
  copyFileSync(
    path.join(projectRoot, "scripts", "language-host", "main.go"),
    path.join(root, "scripts", "language-host", "main.go"),
  );
  copyFileSync(path.join(projectRoot, "package-lock.json"), path.join(root, "package-lock.json"));
  symlinkSync(path.join(projectRoot, "node_modules"), path.join(root, "node_modules"));
  return root;
}

/** A directory holding a `pulumi` that prints `version` and nothing else. */
function fakePulumi(version: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "grants-fake-pulumi-")));
  cleanups.push(dir);
  writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho v${version}\n`);
  chmodSync(path.join(dir, "pulumi"), 0o755);
  return dir;
}

function setup(root: string, pathDirs: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [path.join(root, "scripts", "setup")], {
    cwd: root,
    encoding: "utf8",
    env: {
      HOME: os.homedir(),
      PATH: [...pathDirs, "/usr/bin", "/bin"].join(":"),
      PULUMI_GRANTS_CACHE: path.join(os.homedir(), ".cache", "pulumi-grants"),
      ...env,
    },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

// The directory of the CLI scripts/setup linked for this checkout (v3.276.0, or the minimum when
// the suite is run with PULUMI_GRANTS_CLI_VERSION=3.259.0 to prove it); .tools/bin links its files.
const builtCli = path.dirname(realpathSync(path.join(toolsDir, "bin", "pulumi")));
const builtVersion = spawnSync(path.join(builtCli, "pulumi"), ["version"], {
  encoding: "utf8",
}).stdout.trim();

describe("scripts/setup, given an installed Pulumi CLI", () => {
  it("uses one at or above the minimum as it is, with its own plugins, and builds nothing", () => {
    const root = checkout();
    const { code, output } = setup(root, [builtCli]);
    expect(output).toContain(`using the installed Pulumi CLI ${builtVersion} at ${builtCli}`);
    expect(code).toBe(0);
    expect(output).not.toContain("building");
    expect(readlinkSync(path.join(root, ".tools", "bin", "pulumi"))).toBe(
      path.join(builtCli, "pulumi"),
    );
    expect(readlinkSync(path.join(root, ".tools", "bin", "pulumi-language-nodejs"))).toBe(
      path.join(builtCli, "pulumi-language-nodejs"),
    );
  });

  it("names both versions when the installed one is older than the minimum", () => {
    const root = checkout();
    const emptyCache = path.join(root, "cache");
    const { code, output } = setup(root, [fakePulumi("3.200.0")], {
      PULUMI_GRANTS_CACHE: emptyCache,
    });
    expect(output).toContain("is v3.200.0, older than the minimum v3.259.0");
    // Without Go on PATH the build it falls back to cannot start; the error says what to install.
    expect(code).not.toBe(0);
    expect(output).toContain("install a Pulumi CLI v3.259.0 or newer");
    expect(output).toContain("in place of the v3.200.0");
  });

  it("builds (here: reuses the build of) PULUMI_GRANTS_CLI_VERSION even when a CLI is installed", () => {
    const root = checkout();
    const version = builtVersion.replace(/^v/, "");
    const { code, output } = setup(root, [builtCli], { PULUMI_GRANTS_CLI_VERSION: version });
    expect(code).toBe(0);
    expect(output).not.toContain("using the installed Pulumi CLI");
    expect(output).toContain(`Pulumi CLI v${version} is built`);
    // Beside it, the Node.js language host that runs policy packs, in front of the v3.68.0 one.
    expect(output).toContain("the Node.js language host that runs policy packs is built");
    const host = realpathSync(path.join(root, ".tools", "bin", "pulumi-language-nodejs"));
    expect(path.dirname(host)).toBe(
      path.dirname(realpathSync(path.join(root, ".tools", "bin", "pulumi"))),
    );
    expect(
      spawnSync(path.join(root, ".tools", "bin", "pulumi-language-nodejs-v3.68.0"), ["--help"])
        .error,
    ).toBeUndefined();
  });
});
