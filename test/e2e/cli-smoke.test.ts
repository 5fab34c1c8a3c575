import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPulumiSandbox, projectRoot, type PulumiSandbox } from "../support/pulumi-engine";

const run = promisify(execFile);

describe("the pulumi CLI on the root Pulumi.yaml program", () => {
  let sandbox: PulumiSandbox;
  const stackName = `cli-smoke-${randomUUID().slice(0, 8)}`;
  const pulumi = (...args: string[]) =>
    run("pulumi", [...args, "--non-interactive"], {
      cwd: projectRoot,
      env: { ...process.env, ...sandbox.env },
      maxBuffer: 16 * 1024 * 1024,
    });

  beforeAll(() => {
    sandbox = createPulumiSandbox();
  });
  afterAll(async () => {
    await pulumi("stack", "rm", "--yes", "--force", stackName).catch(() => undefined);
    sandbox.cleanup();
  });

  it("reports the version that scripts/setup built", async () => {
    const { stdout } = await pulumi("version");
    expect(stdout.trim()).toMatch(/^v3\.\d+\.\d+$/);
  });

  it("runs `pulumi up --yes` and `pulumi destroy --yes` through the Node.js language host", async () => {
    await pulumi("stack", "init", stackName);
    const up = await pulumi("up", "--yes", "--skip-preview", "--stack", stackName);
    expect(up.stdout).toContain("Resources:");
    const { stdout } = await pulumi("stack", "output", "--json", "--stack", stackName);
    expect(JSON.parse(stdout)).toEqual({ project: "pulumi-grants-quickstart", stack: stackName });
    const destroy = await pulumi("destroy", "--yes", "--skip-preview", "--stack", stackName);
    expect(destroy.stdout).toContain("deleted");
  });
});
