import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/**
 * Creates the data directory if it does not exist yet, and makes it owner-only either way: it
 * holds the sealed signing keys and secret hashes, and `--data-dir` may name a directory that
 * already existed with looser permissions.
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

/**
 * Creates a file owner-only (0600) before SQLite opens it, or tightens an existing one: SQLite
 * gives its `-wal` and `-shm` files the database file's permissions, so those follow.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
}

/**
 * Reads a secret kept in a data-dir file, or creates the file (mode 0600, owner read/write only)
 * with `generate()`'s value. `created` tells whether this call generated it, so a caller can show
 * a new secret once.
 */
export function readOrCreateSecretFile(
  dataDir: string,
  fileName: string,
  generate: () => string,
): { value: string; created: boolean } {
  const file = path.join(dataDir, fileName);
  const value = generate();
  // Written whole under a temporary name, then linked into place: link() fails if the name
  // exists, so of two processes racing one wins, and nobody ever reads a half-written or empty
  // file (as could happen between creating the file and writing it).
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temporary, `${value}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(temporary, file);
    return { value, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
  const stored = readFileSync(file, "utf8").trim();
  if (stored === "") throw new Error(`${file} is empty; delete it to generate a new value`);
  return { value: stored, created: false };
}
