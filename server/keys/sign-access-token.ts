import { SignJWT } from "jose";
import type { JWTPayload } from "jose";
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
 */
export async function signAccessToken(options: {
  key: ActiveSigningKey;
  claims: AccessTokenClaims;
  issuedAt: number;
  lifetimeSeconds: number;
  type: "at+jwt" | "jwt";
  jwtId: string;
}): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = options.issuedAt + options.lifetimeSeconds;
  const payload: JWTPayload = {
    ...options.claims,
    iat: options.issuedAt,
    nbf: options.issuedAt,
    exp: expiresAt,
    jti: options.jwtId,
  };
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: options.key.algorithm, typ: options.type, kid: options.key.kid })
    .sign(options.key.privateKey);
  return { token, expiresAt };
}
