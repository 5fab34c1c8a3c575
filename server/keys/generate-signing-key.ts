import { generateKeyPair } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { calculateJwkThumbprint } from "jose";
import type { JWK } from "jose";
import type { SigningAlgorithm } from "../../sdk/schemas/provider";
import type { SigningKeyRecord } from "../store/store";
import { seal } from "./sealed-box";

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * A new signing key for `providerId`, its private half sealed with the master key. The `kid` is
 * the RFC 7638 JWK thumbprint, so it is stable and derived from the key itself. Generation runs
 * off the event loop (RSA-2048 takes tens of milliseconds).
 */
export async function generateSigningKey(options: {
  providerId: string;
  algorithm: SigningAlgorithm;
  masterKey: Buffer;
  createdAt: string;
}): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await newKeyPair(options.algorithm);
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, "sha256");
  const publicJwk: JWK = { ...jwk, kid, alg: options.algorithm, use: "sig" };
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  return {
    kid,
    providerId: options.providerId,
    algorithm: options.algorithm,
    publicJwk: JSON.stringify(publicJwk),
    encryptedPrivateKey: seal(options.masterKey, der, kid),
    status: "active",
    createdAt: options.createdAt,
  };
}

function newKeyPair(
  algorithm: SigningAlgorithm,
): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  switch (algorithm) {
    case "RS256":
      // RFC 7518 §3.3: RS256 keys must be at least 2048 bits.
      return generateKeyPairAsync("rsa", { modulusLength: 2048 });
    case "ES256":
      return generateKeyPairAsync("ec", { namedCurve: "P-256" });
  }
}
