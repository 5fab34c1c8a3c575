import { randomBytes } from "node:crypto";
import { readOrCreateSecretFile } from "../data-dir";

/** AES-256 needs 32 bytes of key. */
const MASTER_KEY_BYTES = 32;
export const MASTER_KEY_FILE = "master.key";

/**
 * The key that seals signing keys at rest: `configured` (from `GRANTS_MASTER_KEY`: 32 bytes as
 * base64, base64url or hex), else the data dir's `master.key` file, generated on first start.
 * Keeping the master key outside the data dir (the environment variable) means a copied database
 * file alone does not reveal the signing keys.
 */
export function loadMasterKey(dataDir: string, configured?: string): Buffer {
  if (configured !== undefined) return decodeMasterKey(configured, "GRANTS_MASTER_KEY");
  const { value } = readOrCreateSecretFile(dataDir, MASTER_KEY_FILE, () =>
    randomBytes(MASTER_KEY_BYTES).toString("base64url"),
  );
  return decodeMasterKey(value, MASTER_KEY_FILE);
}

function decodeMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64url");
  if (key.length !== MASTER_KEY_BYTES) {
    // Never echo the value: it is a secret even when malformed.
    throw new Error(`${source} must hold ${MASTER_KEY_BYTES} bytes as base64, base64url or hex`);
  }
  return key;
}

/** A configured master key (`GRANTS_MASTER_KEY`), for stores with no data directory. */
export function parseMasterKey(configured: string): Buffer {
  return decodeMasterKey(configured, "GRANTS_MASTER_KEY");
}
