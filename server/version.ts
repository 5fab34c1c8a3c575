import { readFileSync } from "node:fs";
import path from "node:path";

// Read at load time from the package root, the same from sources (server/) and dist/server/.
function readVersion(): string {
  for (const root of [path.join(__dirname, ".."), path.join(__dirname, "..", "..")]) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "pulumi-grants" && pkg.version) return pkg.version;
    } catch {
      // not the package root; try the next candidate
    }
  }
  return "0.0.0";
}

/** The package version, reported by `--version` and in the OpenAPI document. */
export const SERVER_VERSION = readVersion();
