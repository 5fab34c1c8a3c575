import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pulumiEnvironment } from "../../scripts/pulumi-env.cjs";

describe("the pinned runtime", () => {
  it("runs the tests on Node 24 from the `node` package", () => {
    expect(process.versions.node.split(".")[0]).toBe("24");
  });

  it("puts Node 24 first on PATH for every Pulumi child process", () => {
    const version = execFileSync("node", ["-p", "process.versions.node"], {
      env: { ...process.env, ...pulumiEnvironment() },
    }).toString();
    expect(version.split(".")[0]).toBe("24");
  });
});
