import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as sdk from "../../sdk";
import * as contract from "../../sdk/contract";

const root = path.resolve(__dirname, "..", "..");

function valueExportsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^export (?:const|function|class) (\w+)/gm)].map(
    (match) => match[1] as string,
  );
}

describe("the sdk entry point", () => {
  it("leaves the zod contract to pulumi-grants/sdk/contract, which re-exports every schema and endpoint value by name", () => {
    const missing: string[] = [];
    for (const folder of ["schemas", "endpoints"]) {
      const dir = path.join(root, "sdk", folder);
      for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
        for (const name of valueExportsOf(path.join(dir, file))) {
          if (!(name in contract)) missing.push(`${folder}/${file}: ${name}`);
          if (name in sdk) missing.push(`${folder}/${file}: ${name} is also in the sdk entry`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("uses no export * (named exports only)", () => {
    for (const entry of ["index.ts", "contract.ts"]) {
      expect(readFileSync(path.join(root, "sdk", entry), "utf8")).not.toMatch(/export \*/);
    }
  });

  it("has generated wire types that match the schemas (npm run build regenerates them)", async () => {
    const { execFileSync } = await import("node:child_process");
    expect(() =>
      execFileSync(
        process.execPath,
        [path.join(root, "scripts", "generate-wire-types.cjs"), "--check"],
        {
          stdio: "pipe",
        },
      ),
    ).not.toThrow();
  });

  it("reports the package version in its User-Agent", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      version: string;
    };
    expect(sdk.SDK_VERSION).toBe(pkg.version);
    expect(sdk.USER_AGENT).toBe(`pulumi-grants/${pkg.version}`);
  });
});
