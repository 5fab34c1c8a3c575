import { sign } from "node:crypto";
import { derToJoseSignature } from "./ecdsa-signature";
import type { ActiveSigningKey } from "./key-ring";

/** The claims of every access token the server issues (RFC 9068 §2.2). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  client_id: string;
  /** RFC 9068 §2.2.3: space-delimited; only client_credentials tokens carry it. */
  scope?: string;
}

/**
 * Signs an access token. `iat` = `nbf` = now, `exp` = now + lifetime, a random `jti`, and the
 * `kid` header so verifiers pick the right JWKS key across rotations. `typ` is `at+jwt`
 * (RFC 9068 §2.1) unless a relying party needs plain `jwt` (Alibaba Cloud).
 *
 * The JWS (RFC 7515 §7.1 compact form) is put together here and signed with `node:crypto`: the
 * claims are ours and already valid, so a JWT library's copy and validation of them, and
 * WebCrypto's algorithm and key normalization, would be work on every token request for nothing.
 * Tokens verify with any JOSE library (tests use jose's `jwtVerify`).
 *
 * RS256 signs on the thread pool: a 2048-bit RSA signature takes about a millisecond, which the
 * event loop must not wait for. ES256 signs on the event loop: a P-256 signature takes about 40 µs
 * there, and about 11 µs of event-loop time plus a pool thread's wake-ups and a callback when
 * handed to the pool. Measured against a client in its own process (as clients are), the pool
 * cost the server about 13 % more CPU per token and minted 3–5 % fewer tokens a second on two
 * cores. (bench/server-token.ts, whose client shares the server's process and event loop, scores
 * the pool higher: there the freed event-loop time goes to the client.)
 */
export async function signAccessToken(options: {
  key: ActiveSigningKey;
  claims: AccessTokenClaims;
  issuedAt: number;
  lifetimeSeconds: number;
  type: "at+jwt" | "jwt";
  jwtId: string;
}): Promise<{ token: string; expiresAt: number }> {
  const { key } = options;
  const expiresAt = options.issuedAt + options.lifetimeSeconds;
  const header = { alg: key.algorithm, typ: options.type, kid: key.kid };
  const payload = {
    ...options.claims,
    iat: options.issuedAt,
    nbf: options.issuedAt,
    exp: expiresAt,
    jti: options.jwtId,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const input = Buffer.from(signingInput, "utf8");
  // ES256 is ECDSA, whose DER signature is turned into the 64-byte R || S of RFC 7518 §3.4 here
  // (see derToJoseSignature for why); RS256 is RSASSA-PKCS1-v1_5, node's RSA default.
  const signature =
    key.algorithm === "ES256"
      ? derToJoseSignature(sign("sha256", input, key.privateKey), 32)
      : await new Promise<Buffer>((resolve, reject) => {
          sign("sha256", input, key.privateKey, (error, result) => {
            if (error) reject(error);
            else resolve(result);
          });
        });
  return { token: `${signingInput}.${signature.toString("base64url")}`, expiresAt };
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
