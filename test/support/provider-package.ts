import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import type * as grantsPackage from "../../provider/index";
import { projectRoot } from "./pulumi-engine";

/**
 * Node's own `require`, rooted at the repository. The package is loaded from its build (dist/)
 * by name, as a user's program loads it, rather than through vitest's transform of the sources:
 * the provider objects must be the compiled ones that Pulumi serializes in real use.
 */
export const repoRequire = createRequire(path.join(projectRoot, "package.json"));

/** The published entry point (`pulumi-grants`, i.e. dist/provider/index.js). */
export function loadGrantsPackage(): typeof grantsPackage {
  return repoRequire("pulumi-grants") as typeof grantsPackage;
}

/** The `__provider` text each resource kind stores in the state, from the build. */
export function loadProviderCode(): Record<"Provider" | "Client" | "ClientGrant", string> {
  const internal = (subpath: string) =>
    repoRequire(`pulumi-grants/internal/provider/resources/${subpath}/resource`) as Record<
      string,
      string
    >;
  return {
    Provider: internal("provider").providerProviderCode!,
    Client: internal("client").clientProviderCode!,
    ClientGrant: internal("client-grant").clientGrantProviderCode!,
  };
}

/**
 * Packs the package as it would be published (`npm pack`: the `files` list, the built dist/)
 * into `destination`, and returns the tarball's path, for projects that install it like a user.
 */
export async function packTarball(destination: string): Promise<string> {
  const packed = await promisify(execFile)(
    "npm",
    ["pack", "--pack-destination", destination, "--json"],
    { cwd: projectRoot },
  );
  return path.join(destination, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
}
