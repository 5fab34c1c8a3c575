import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";

// examples/python through the real engine: pulumi-language-python (sdk v3.68.0, built by
// scripts/setup) runs the program in the virtualenv setup made (.tools/python-venv, `pulumi` from
// PyPI), the program imports the checked-in generated SDK (sdk-gen/python, pip-installed into
// the copy), and the SDK's resources reach the native plugin pulumi-resource-grants in .tools/bin.
describe("a Python program using the generated SDK and the native grants plugin", () => {
  let server: TestServer;
  let project: PulumiProject;
  let api: GrantsClient;
  let site: string | undefined;
  let sdkSource: string | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    api = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
    const venv = path.join(projectRoot, ".tools", "python-venv");
    // The SDK is installed the way a user installs it (pip, from its pyproject.toml), into a
    // directory of this test's own; the shared virtualenv stays as setup made it.
    site = mkdtempSync(path.join(os.tmpdir(), "pulumi-grants-python-sdk-"));
    project = copyPulumiProject(path.join(projectRoot, "examples", "python"), {
      files: ["Pulumi.yaml", "__main__.py"],
      // The v3.68.0 host does not receive Pulumi.yaml's runtime options from this engine (they
      // reach hosts through a newer RPC field), so it runs the first `python3` on PATH: the
      // virtualenv's.
      env: {
        PYTHONPATH: site,
        PATH: [
          path.join(projectRoot, ".tools", "bin"),
          path.join(venv, "bin"),
          path.join(projectRoot, "node_modules", ".bin"),
          process.env["PATH"] ?? "",
        ].join(path.delimiter),
      },
    });
    // From a copy: pip builds in the source tree (build/, *.egg-info), which stays clean.
    const source = path.join(site, "..", `${path.basename(site)}-source`);
    cpSync(path.join(projectRoot, "sdk-gen", "python"), source, { recursive: true });
    sdkSource = source;
    execFileSync(
      path.join(venv, "bin", "python"),
      [
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
      ],
      { stdio: "pipe" },
    );
    await project.ok(["stack", "init", "test"]);
    await project.ok(["config", "set", "grants:apiUrl", server.url]);
    await project.ok(["config", "set", "--secret", "grants:apiToken", server.adminToken]);
  }, 180_000);

  afterAll(async () => {
    for (const dir of [site, sdkSource]) if (dir) rmSync(dir, { recursive: true, force: true });
    await api?.close();
    project?.cleanup();
    await server?.close();
  });

  it("goes up, previews with no changes, keeps the secrets encrypted, and destroys", async () => {
    const up = await project.ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toContain("4 created");

    const outputs = JSON.parse(
      (await project.ok(["stack", "output", "--json", "--show-secrets"])).stdout,
    ) as Record<string, unknown>;
    const providerId = String(outputs["issuerUrl"]).split("/").pop() as string;
    const grant = await api.clientGrants.get(String(outputs["grantId"]));
    expect(grant.client_id).toBe(outputs["clientId"]);
    expect(grant.scope).toEqual(["write:orders", "read:orders"]);
    const client = await api.clients.get(providerId, String(outputs["clientId"]));
    expect(client.name).toBe("python-deployer");

    const state = JSON.parse((await project.ok(["stack", "export"])).stdout) as {
      deployment: { resources: { type: string }[] };
    };
    // The SDK's Issuer class registers the same type as YAML programs and `pulumi import`.
    expect(state.deployment.resources.map((resource) => resource.type).sort()).toEqual([
      "grants:index:Client",
      "grants:index:ClientGrant",
      "grants:index:Provider",
      "pulumi:providers:grants",
      "pulumi:pulumi:Stack",
    ]);

    await project.ok(["preview", "--expect-no-changes"]);

    const exported = (await project.ok(["stack", "export"])).stdout;
    expect(exported).not.toContain(server.adminToken);
    expect(String(outputs["clientSecret"]).length).toBeGreaterThan(10);
    expect(exported).not.toContain(String(outputs["clientSecret"]));
    expect(`${up.stdout}${up.stderr}`).not.toContain(String(outputs["clientSecret"]));

    const destroy = await project.ok(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.stdout).toContain("4 deleted");
    await expect(api.clientGrants.get(String(outputs["grantId"]))).rejects.toMatchObject({
      code: "GRANTS_NOT_FOUND",
    });
  }, 300_000);
});
