import { generateKeyPair } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from "jose";
import type { JWK, JWTPayload } from "jose";
import type { ActiveSigningKey } from "../keys/key-ring";

const generateKeyPairAsync = promisify(generateKeyPair);

/** What a verified Management API token grants. */
export interface ManagementPrincipal {
  clientId: string;
  scopes: ReadonlySet<string>;
}

/**
 * The tenant's own signing key: it signs Management API tokens (`iss` = `<publicUrl>/`,
 * `aud` = `<publicUrl>/api/v2/`, as Auth0 does) and is published at `/.well-known/jwks.json`.
 *
 * It lives in memory only, generated on first use: Management API tokens are short-lived
 * credentials that their holders re-fetch (the sdk's token source does so on a 401), so a
 * restart invalidating them costs one token request, while persisting it would need a new
 * table in every store. Provider keys stay in the store as before.
 */
export class TenantKeys {
  #key: Promise<{ signing: ActiveSigningKey; publicKey: KeyObject; jwk: JWK }> | undefined;

  #load() {
    this.#key ??= (async () => {
      const { publicKey, privateKey } = await generateKeyPairAsync("ec", { namedCurve: "P-256" });
      const jwk = publicKey.export({ format: "jwk" }) as JWK;
      const kid = await calculateJwkThumbprint(jwk, "sha256");
      return {
        signing: { kid, algorithm: "ES256" as const, privateKey },
        publicKey,
        jwk: { ...jwk, kid, alg: "ES256", use: "sig" },
      };
    })();
    return this.#key;
  }

  async signingKey(): Promise<ActiveSigningKey> {
    return (await this.#load()).signing;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await this.#load()).jwk] };
  }

  /**
   * Verifies a Management API token: signature, `iss`, `aud`, `exp`/`nbf` against the server's
   * clock. Undefined for anything that does not verify, so the guard answers one 401 for all.
   */
  async verify(
    token: string,
    expected: { issuer: string; audience: string; now: number },
  ): Promise<ManagementPrincipal | undefined> {
    // Cheap shape test first: the admin token and garbage never reach the crypto.
    if (token.split(".").length !== 3) return undefined;
    const { jwk } = await this.#load();
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [jwk] }), {
        issuer: expected.issuer,
        audience: expected.audience,
        algorithms: ["ES256"],
        currentDate: new Date(expected.now),
      });
      return principalOf(payload);
    } catch {
      return undefined;
    }
  }
}

function principalOf(payload: JWTPayload): ManagementPrincipal | undefined {
  const clientId = payload.client_id;
  if (typeof clientId !== "string") return undefined;
  const scope = typeof payload.scope === "string" ? payload.scope : "";
  return { clientId, scopes: new Set(scope.split(" ").filter((s) => s !== "")) };
}

/** The tenant's issuer and Management API audience, from the server's public URL. */
export function tenantIssuer(publicUrl: string): string {
  return `${publicUrl}/`;
}
export function managementAudience(publicUrl: string): string {
  return `${publicUrl}/api/v2/`;
}
