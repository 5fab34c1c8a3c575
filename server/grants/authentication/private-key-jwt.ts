import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import { CLIENT_ASSERTION_ALGORITHMS } from "../../../sdk/schemas/oauth-client-metadata";
import type { ServerContext } from "../../context";
import { OAuthError } from "../../errors";
import type { ClientRecord } from "../../store/store";

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * The longest an assertion may stay valid, in seconds (`exp` at most this far past the server's
 * clock). Short, so the jti store stays small and a stolen assertion is soon worthless.
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 30;

/** An assertion's JWS compact form is never longer than this (a bound before parsing). */
const MAX_ASSERTION_LENGTH = 8192;

// Key sets parsed once per client definition (id + updatedAt), bounded so a flood of clients
// cannot grow it without end.
const keySets = new Map<string, JWTVerifyGetKey>();
const MAX_CACHED_KEY_SETS = 1000;

function keySetOf(client: ClientRecord): JWTVerifyGetKey {
  const cacheKey = `${client.id}@${client.updatedAt}`;
  let keySet = keySets.get(cacheKey);
  if (!keySet) {
    if (keySets.size >= MAX_CACHED_KEY_SETS) keySets.clear();
    keySet = createLocalJWKSet((client.metadata.jwks ?? { keys: [] }) as JSONWebKeySet);
    keySets.set(cacheKey, keySet);
  }
  return keySet;
}

/** The client an assertion names (`sub`, which must equal `iss`), read before verification. */
export function assertionSubject(assertion: string): string | undefined {
  if (assertion.length > MAX_ASSERTION_LENGTH) return undefined;
  try {
    const { sub } = decodeJwt(assertion);
    return typeof sub === "string" && sub !== "" ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523 §2.2 and §3, RFC 7521 §4.2) against the
 * client's registered public keys: signature by an asymmetric algorithm, `iss` = `sub` = the
 * client id, `aud` naming the token endpoint or the issuer, `exp` required and at most
 * {@link MAX_ASSERTION_LIFETIME_SECONDS} ahead, `jti` required and never accepted twice while it
 * is valid. Every failure is `invalid_client`.
 */
export async function verifyClientAssertion(
  context: ServerContext,
  client: ClientRecord,
  assertion: string,
  audiences: readonly string[],
): Promise<void> {
  const fail = (reason: string) =>
    new OAuthError(401, "invalid_client", `client_assertion: ${reason}`);
  if (assertion.length > MAX_ASSERTION_LENGTH) throw fail("is too long");
  const nowSeconds = Math.floor(context.now() / 1000);
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, keySetOf(client), {
      issuer: client.clientId,
      subject: client.clientId,
      audience: [...audiences],
      algorithms: [...CLIENT_ASSERTION_ALGORITHMS],
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(nowSeconds * 1000),
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw fail(reasonOf(error));
  }
  const exp = payload.exp!;
  if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS) {
    throw fail(`exp must be at most ${MAX_ASSERTION_LIFETIME_SECONDS} s ahead`);
  }
  const jti = payload.jti!;
  if (typeof jti !== "string" || jti === "" || jti.length > 256) {
    throw fail("jti must be a string of 1-256 characters");
  }
  // Kept until the assertion could no longer pass the exp check, tolerance included.
  const fresh = await context.store.useClientAssertionId(
    client.id,
    jti,
    exp + ASSERTION_CLOCK_TOLERANCE_SECONDS,
    nowSeconds,
  );
  if (!fresh) throw fail("jti was already used (replay)");
}

// Stable reasons by jose error code; never jose's own message text.
function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `claim ${error.claim} is missing or wrong`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "no registered key matches";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return "signature does not verify with the registered keys";
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm is not allowed";
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys)
    return "several registered keys match; set kid";
  return "is not a valid signed JWT";
}
