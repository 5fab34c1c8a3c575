import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "./pulumi-engine";

/** A copy of a policy pack, its dependencies installed, for `pulumi preview --policy-pack`. */
export interface PolicyPackCopy {
  readonly dir: string;
  cleanup(): void;
}

/**
 * Copies the ready pack (examples/policy-pack) as a user copies it next to their program, with
 * its dependencies installed: this repository's node_modules, where pulumi-grants resolves to
 * this checkout's build.
 */
export function copyPolicyPack(
  sourceDir = path.join(projectRoot, "examples", "policy-pack"),
): PolicyPackCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-grants-policy-pack-"));
  cpSync(sourceDir, dir, {
    recursive: true,
    filter: (source) => !source.includes("node_modules"),
  });
  symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
