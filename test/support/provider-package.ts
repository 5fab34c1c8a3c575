import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
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

/** The dynamic provider object of each resource kind, from the build. */
export function loadDynamicProviders(): Record<
  "Provider" | "Client" | "ClientGrant",
  pulumi.dynamic.ResourceProvider
> {
  const internal = (subpath: string) =>
    repoRequire(`pulumi-grants/internal/provider/resources/${subpath}/resource`) as Record<
      string,
      pulumi.dynamic.ResourceProvider
    >;
  return {
    Provider: internal("provider").providerDynamicProvider!,
    Client: internal("client").clientDynamicProvider!,
    ClientGrant: internal("client-grant").clientGrantDynamicProvider!,
  };
}

/** The text Pulumi stores as `__provider`, and whether it holds a secret Output. */
export async function serializeProvider(
  provider: pulumi.dynamic.ResourceProvider,
): Promise<{ text: string; containsSecrets: boolean }> {
  const runtime = repoRequire("@pulumi/pulumi").runtime as typeof pulumi.runtime;
  const serialized = await runtime.serializeFunction(() => provider, { allowSecrets: true });
  return { text: serialized.text, containsSecrets: serialized.containsSecrets };
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
