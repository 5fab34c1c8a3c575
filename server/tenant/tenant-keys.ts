import { createLocalJWKSet, jwtVerify } from "jose";
import type { JWTPayload } from "jose";
import type { Jwks } from "../../sdk/schemas/oauth";
import type { SigningAlgorithm } from "../../sdk/schemas/provider";
import { generateSigningKey } from "../keys/generate-signing-key";
import type { ActiveSigningKey, KeyRing } from "../keys/key-ring";
import { newResourceId } from "../secrets";
import type { ProviderRecord, Store } from "../store/store";

/** What a verified Management API token grants. */
export interface ManagementPrincipal {
  clientId: string;
  scopes: ReadonlySet<string>;
}

/** The tenant's provider as first made; Auth0 signs with RS256, so the tenant does too. */
const TENANT_ALGORITHM: SigningAlgorithm = "RS256";
export const TENANT_PROVIDER_NAME = "Auth0 tenant";

/**
 * The tenant (issue #11): one provider of the server, recorded as the tenant in the store,
 * whose issuer is the server root (`<publicUrl>/`, as an Auth0 tenant's). It owns the Auth0
 * applications of `/api/v2/clients`, and its signing keys sign Management API tokens and the
 * root issuer's tokens, published at `/.well-known/jwks.json`.
 *
 * Its keys are ordinary provider keys: sealed with the master key in the store, cached by the
 * key ring, rotated through the provider's signing-keys route. So every instance on one store,
 * and every restart, signs and verifies with the same keys. It is made on first write (an
 * application created, a token signed); reads never make it.
 */
export class TenantKeys {
  readonly #store: Store;
  readonly #keys: KeyRing;
  readonly #masterKey: Buffer;
  readonly #now: () => number;
  #provider: Promise<ProviderRecord> | undefined;

  constructor(store: Store, keys: KeyRing, masterKey: Buffer, now: () => number) {
    this.#store = store;
    this.#keys = keys;
    this.#masterKey = masterKey;
    this.#now = now;
  }

  /** The tenant's provider, made (with its first key) if there is none yet. */
  async provider(): Promise<ProviderRecord> {
    const current = await this.current();
    if (current) return current;
    this.#provider ??= this.#ensure();
    return this.#provider;
  }

  /**
   * The tenant's provider if one exists, never making one: what reads use (the JWKS, token
   * verification, listings), so no unauthenticated request writes to the store.
   */
  async current(): Promise<ProviderRecord | undefined> {
    const cached = this.#provider;
    if (cached) {
      const provider = await cached.catch(() => undefined);
      // Deleted through the useGrant dialect since: the next tenant is made (or found).
      if (provider && (await this.#store.getProvider(provider.id))) return provider;
      if (this.#provider === cached) this.#provider = undefined;
    }
    const stored = await this.#store.getTenantProvider();
    if (stored) this.#provider ??= Promise.resolve(stored);
    return stored;
  }

  async #ensure(): Promise<ProviderRecord> {
    const existing = await this.#store.getTenantProvider();
    if (existing) return existing;
    const createdAt = new Date(this.#now()).toISOString();
    const id = newResourceId();
    const key = await generateSigningKey({
      providerId: id,
      algorithm: TENANT_ALGORITHM,
      masterKey: this.#masterKey,
      createdAt,
    });
    return this.#store.ensureTenantProvider(
      {
        id,
        name: TENANT_PROVIDER_NAME,
        description: "The Auth0 tenant: its applications and Management API tokens",
        signingAlgorithm: TENANT_ALGORITHM,
        createdAt,
        updatedAt: createdAt,
      },
      key,
    );
  }

  async signingKey(): Promise<ActiveSigningKey> {
    const provider = await this.provider();
    const key = await this.#keys.activeKey(provider.id);
    if (!key) throw new Error(`the tenant provider ${provider.id} has no signing key`);
    return key;
  }

  /** The tenant's published keys; none before there is a tenant (nothing was signed yet). */
  async jwks(): Promise<Jwks> {
    const provider = await this.current();
    return provider ? this.#keys.jwks(provider.id) : { keys: [] };
  }

  /**
   * Verifies a Management API token: signature, `iss`, `aud`, `exp`/`nbf` against the server's
   * clock. Undefined for anything that does not verify, so the guard answers one 401 for all.
   */
  async verify(
    token: string,
    expected: { issuer: string; audience: string; now: number },
  ): Promise<ManagementPrincipal | undefined> {
    // Cheap shape test first: the admin token and garbage never reach the crypto or the store.
    if (token.split(".").length !== 3) return undefined;
    try {
      const jwks = await this.jwks();
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
        issuer: expected.issuer,
        audience: expected.audience,
        algorithms: ["RS256", "ES256"],
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
