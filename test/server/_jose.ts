import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import type { JWTPayload, JWTVerifyResult } from "jose";
import { discoveryDocumentSchema } from "../../sdk/schemas/oauth";

/**
 * Verifies a token the way a relying party does: fetch the discovery document of the issuer,
 * then the JWKS it names, and check signature, `iss`, `aud` and `typ`. A fresh key set per call,
 * so a rotation is seen at once (jose otherwise waits out a cooldown before refetching).
 */
export async function verifyWithDiscovery(
  token: string,
  options: { discoveryUrl: string; audience: string; typ?: string; currentDate?: Date },
): Promise<JWTVerifyResult<JWTPayload>> {
  const response = await fetch(options.discoveryUrl);
  if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
  const discovery = discoveryDocumentSchema.parse(await response.json());
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  return jwtVerify(token, keys, {
    issuer: discovery.issuer,
    audience: options.audience,
    typ: options.typ ?? "at+jwt",
    // A server on an injected clock issues tokens for its own time.
    ...(options.currentDate ? { currentDate: options.currentDate } : {}),
  });
}

export function keyIdOf(token: string): string | undefined {
  return decodeProtectedHeader(token).kid;
}
