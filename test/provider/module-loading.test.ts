import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/pulumi-engine";

/** The packages (under node_modules) a fresh Node process loads for `entry`, beyond @pulumi/pulumi. */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    require("@pulumi/pulumi");
    const before = new Set(Object.keys(require.cache));
    require(${JSON.stringify(entry)});
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      if (before.has(file)) continue;
      const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file);
      if (match) names.add(match[1]);
    }
    process.stdout.write(JSON.stringify([...names].sort()));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ["-e", script], { cwd: projectRoot, encoding: "utf8" }),
  ) as string[];
}

// Every preview and up loads the package in the program, and every operation loads an
// implementation in the engine's provider process: what they load is paid on each run.
describe("what loading the package costs a process", () => {
  it("a program that declares resources loads none of the sdk's dependencies (zod, undici, jose)", () => {
    expect(packagesLoadedBy("pulumi-grants")).toEqual([]);
  });

  it("the provider process refreshing grants loads zod and undici, but not jose (only private_key_jwt signs)", () => {
    const loaded = packagesLoadedBy("pulumi-grants/internal/provider/resources/client-grant/crud");
    expect(loaded).toEqual(expect.arrayContaining(["zod", "undici"]));
    expect(loaded).not.toContain("jose");
  });
});
