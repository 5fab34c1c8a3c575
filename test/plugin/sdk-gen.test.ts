import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/pulumi-engine";

const run = promisify(execFile);
const tools = path.join(projectRoot, ".tools");
const scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-grants-sdk-gen-"));

/** Every file under dir, relative to it, except a go.sum a local `go build` may have left. */
function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "go.sum") continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), readFileSync(full, "utf8"));
  }
  return files;
}

// The SDKs in sdk-gen/ are checked in (sdk-gen/*/README.md says why); these tests keep them
// equal to what the schema generates, and show that each one builds in its own language.
describe("the generated Python and Go SDKs", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("are what scripts/gen-sdk writes from plugin/schema.json (run `npm run gen-sdk` when this fails)", async () => {
    const out = path.join(scratch, "generated");
    await run(path.join(tools, "gen-sdk"), [path.join(projectRoot, "plugin", "schema.json"), out]);
    for (const language of ["python", "go"]) {
      const committed = filesOf(path.join(projectRoot, "sdk-gen", language));
      const generated = filesOf(path.join(out, language));
      expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
      for (const [file, text] of generated) expect(committed.get(file), file).toBe(text);
    }
  }, 60_000);

  it("register the issuer as grants:index:Provider and keep Provider for the package provider", () => {
    const python = readFileSync(
      path.join(projectRoot, "sdk-gen", "python", "pulumi_grants", "issuer.py"),
      "utf8",
    );
    expect(python).toContain(`@pulumi.type_token("grants:index:Provider")`);
    expect(python).toContain("class Issuer(pulumi.CustomResource)");
    const go = readFileSync(path.join(projectRoot, "sdk-gen", "go", "grants", "issuer.go"), "utf8");
    expect(go).toContain(`ctx.RegisterResource("grants:index:Provider", name, args, &resource`);
    const goProvider = readFileSync(
      path.join(projectRoot, "sdk-gen", "go", "grants", "provider.go"),
      "utf8",
    );
    expect(goProvider).toContain(`ctx.RegisterResource("pulumi:providers:grants"`);
  });

  it("the Go SDK builds and passes go vet against github.com/pulumi/pulumi/sdk/v3", async () => {
    const copy = path.join(scratch, "go");
    cpSync(path.join(projectRoot, "sdk-gen", "go"), copy, { recursive: true });
    const env = { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "auto", CGO_ENABLED: "0" };
    await run("go", ["build", "./..."], { cwd: copy, env });
    await run("go", ["vet", "./..."], { cwd: copy, env });
  }, 600_000);

  it("the Python SDK installs with pip and imports in the virtualenv scripts/setup made", async () => {
    const python = path.join(tools, "python-venv", "bin", "python");
    const site = path.join(scratch, "site-packages");
    // From a copy: pip builds in the source tree (build/, *.egg-info), which stays clean.
    const source = path.join(scratch, "python-sdk");
    cpSync(path.join(projectRoot, "sdk-gen", "python"), source, { recursive: true });
    await run(python, [
      "-m",
      "pip",
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "--no-deps",
      "--no-build-isolation",
      "--target",
      site,
      source,
    ]);
    const { stdout } = await run(
      python,
      [
        "-c",
        [
          "import pulumi_grants as g",
          "print(g.Issuer.__name__, g.Client.__name__, g.ClientGrant.__name__, g.Provider.__name__)",
          "print(callable(g.get_access_token), callable(g.get_client_credentials_token))",
        ].join("\n"),
      ],
      { env: { ...process.env, PYTHONPATH: site } },
    );
    expect(stdout.trim().split("\n")).toEqual(["Issuer Client ClientGrant Provider", "True True"]);
  }, 120_000);
});
