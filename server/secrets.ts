import { hash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * A new client secret: 32 random bytes (256 bits), base64url. Because the secret is uniformly
 * random at that length, guessing it from its SHA-256 is as hard as guessing it outright, so a
 * slow password hash (scrypt, argon2) would add nothing but CPU cost to every token request,
 * and with it an easy denial of service.
 */
export function newClientSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** A new management token: `uga_` + base64url(32 random bytes), the useGrant format. */
export function newAdminToken(): string {
  return `uga_${randomBytes(32).toString("base64url")}`;
}

/** What is stored instead of a secret. */
export function hashSecret(secret: string): Buffer {
  // One-shot: a Hash object per call costs more than the digest of a short secret.
  return hash("sha256", secret, "buffer");
}

/**
 * Compares a presented secret with a stored hash in constant time. Hashing first makes both
 * sides the same length, so not even the secret's length leaks through timing.
 */
export function secretMatches(presented: string, storedHash: Uint8Array): boolean {
  const presentedHash = hashSecret(presented);
  return storedHash.length === presentedHash.length && timingSafeEqual(presentedHash, storedHash);
}

/** A useGrant resource id. */
export function newResourceId(): string {
  return randomUUID();
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path id can name a useGrant resource at all (others answer 404 unseen). */
export function isResourceId(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A client's token subject: 24 random bytes = 32 base64url characters, like useGrant's. */
export function newSubject(): string {
  return randomBytes(24).toString("base64url");
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `cgr_` + 16 alphanumerics, the Auth0 client grant id format. */
export function newClientGrantId(): string {
  return `cgr_${randomAlphanumeric(16)}`;
}

export const CLIENT_GRANT_ID_PATTERN = /^cgr_[A-Za-z0-9]{16}$/;

/** A random value for a domain's DNS TXT challenge record. */
export function newVerificationValue(): string {
  return randomBytes(24).toString("base64url");
}

function randomAlphanumeric(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: rejecting bytes at or above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}
