import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Layout: version (1 byte) | IV (12 bytes, NIST SP 800-38D §8.2 random IV) | tag (16) | ciphertext.
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts with AES-256-GCM. `associatedData` (the key id) binds the ciphertext to its row, so
 * a sealed key copied onto another row fails to open.
 */
export function seal(masterKey: Buffer, plaintext: Uint8Array, associatedData: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts what {@link seal} produced; throws when the key, data or binding do not match. */
export function open(masterKey: Buffer, sealed: Uint8Array, associatedData: string): Buffer {
  const box = Buffer.from(sealed);
  if (box[0] !== VERSION) throw new Error("unknown sealed-key format");
  const iv = box.subarray(1, 1 + IV_BYTES);
  const tag = box.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const ciphertext = box.subarray(1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", masterKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
