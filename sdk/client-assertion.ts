// private_key_jwt client authentication (RFC 7523 §2.2): a short-lived JWT signed with the
// client's private key stands in for a client secret. The key never leaves this process.
import { createPrivateKey, randomUUID } from "node:crypto";
import type { JsonWebKey, KeyObject } from "node:crypto";
import type * as Jose from "jose";
import { invalidArgument } from "./arguments";
import { CLIENT_ASSERTION_ALGORITHMS } from "./schemas/oauth-client-metadata";

/** RFC 7523 §2.2: the `client_assertion_type` parameter. */
export const JWT_BEARER_CLIENT_ASSERTION_TYPE =
  "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Lifetime of an assertion, in seconds: one request's worth (servers cap it, e.g. at 300). */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 60;

/** Algorithms {@link signClientAssertion} signs with. */
export type ClientAssertionAlgorithm =
  "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" | "EdDSA";

// The schema's list, so the signer and the server never disagree; the type above stays spelled
// out because the public declarations must not reach zod.
const ALGORITHMS: ReadonlySet<string> = new Set(CLIENT_ASSERTION_ALGORITHMS);

/** A private key, parsed once, with the algorithm and key id its assertions carry. */
export interface ClientAssertionKey {
  readonly key: KeyObject;
  readonly algorithm: ClientAssertionAlgorithm;
  readonly keyId: string | undefined;
}

/**
 * Parses a private key given as a PEM (PKCS#8, PKCS#1 or SEC1) or a private JWK (object or JSON
 * text). The algorithm defaults from the JWK's `alg`, else from the key type (RSA → RS256,
 * P-256 → ES256, P-384 → ES384, P-521 → ES512, Ed25519 → EdDSA). Errors never quote the key.
 */
export function parseClientAssertionKey(
  privateKey: unknown,
  options: { algorithm?: unknown; keyId?: unknown },
  name: string,
): ClientAssertionKey {
  let key: KeyObject;
  let jwk: JsonWebKey | undefined;
  try {
    if (typeof privateKey === "string" && privateKey.trim().startsWith("{")) {
      jwk = JSON.parse(privateKey) as JsonWebKey;
    } else if (typeof privateKey === "object" && privateKey !== null) {
      jwk = privateKey as JsonWebKey;
    }
    key =
      jwk !== undefined
        ? createPrivateKey({ key: jwk, format: "jwk" })
        : createPrivateKey({ key: String(privateKey), format: "pem" });
  } catch {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"${name}" must be a private key: a PEM or a private JWK`,
    );
  }
  const algorithm = options.algorithm ?? jwk?.alg ?? defaultAlgorithm(key);
  if (typeof algorithm !== "string" || !ALGORITHMS.has(algorithm)) {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"${name}Algorithm" must be one of ${[...ALGORITHMS].join(", ")}`,
    );
  }
  const keyId = options.keyId ?? jwk?.kid;
  if (keyId !== undefined && (typeof keyId !== "string" || keyId === "")) {
    throw invalidArgument("ERR_INVALID_ARG_TYPE", `"${name}Id" must be a non-empty string`);
  }
  return { key, algorithm: algorithm as ClientAssertionAlgorithm, keyId };
}

function defaultAlgorithm(key: KeyObject): string | undefined {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RS256";
    case "rsa-pss":
      return "PS256";
    case "ed25519":
      return "EdDSA";
    case "ec": {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === "prime256v1") return "ES256";
      if (curve === "secp384r1") return "ES384";
      if (curve === "secp521r1") return "ES512";
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Signs a client assertion: `iss` = `sub` = the client id, `aud` = the token endpoint, a fresh
 * `jti`, valid {@link CLIENT_ASSERTION_LIFETIME_SECONDS} seconds.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
export async function signClientAssertion(
  key: ClientAssertionKey,
  clientId: string,
  tokenEndpoint: string,
  nowMs: number = Date.now(),
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  // Loaded on first use: only private_key_jwt clients sign, and every process that loads the sdk
  // (a provider process refreshing 500 grants, a program) would otherwise pay jose's ~30 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SignJWT } = require("jose") as typeof Jose;
  return new SignJWT({})
    .setProtectedHeader({
      alg: key.algorithm,
      typ: "JWT",
      ...(key.keyId === undefined ? {} : { kid: key.keyId }),
    })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setIssuedAt(now)
    .setExpirationTime(now + CLIENT_ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(key.key);
}
