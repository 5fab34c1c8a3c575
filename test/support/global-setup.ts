import { execFileSync } from "node:child_process";
import path from "node:path";

// Child processes (the grants-server CLI, the Pulumi dynamic-provider host) load the compiled
// package from dist/, so every test run starts from a fresh build of the sources.
// PULUMI_GRANTS_SKIP_BUILD=1 skips it when dist/ is known to be current (e.g. re-running one file).
export default function setup(): void {
  if (process.env.PULUMI_GRANTS_SKIP_BUILD === "1") return;
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
