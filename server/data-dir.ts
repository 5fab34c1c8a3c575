import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Creates the data directory (owner-only) if it does not exist yet. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * Reads a secret kept in a data-dir file, or creates the file (mode 0600, owner read/write only)
 * with `generate()`'s value. `created` tells whether this call generated it, so a caller can show
 * a new secret once. `wx` makes creation atomic: of two processes racing, one writes and the other
 * reads what was written.
 */
export function readOrCreateSecretFile(
  dataDir: string,
  fileName: string,
  generate: () => string,
): { value: string; created: boolean } {
  const file = path.join(dataDir, fileName);
  const value = generate();
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
    return { value, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stored = readFileSync(file, "utf8").trim();
  if (stored === "") throw new Error(`${file} is empty; delete it to generate a new value`);
  return { value: stored, created: false };
}
