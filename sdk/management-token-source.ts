/**
 * Where a Management API token comes from: a static token, or client credentials exchanged at
 * the tenant's `POST /oauth/token` (audience `<base>/api/v2/`), as Auth0's SDKs and Terraform
 * provider do. The fetched token is cached per source (one per process when the source is
 * shared), refreshed `refreshMarginSeconds` before it expires, and dropped by
 * {@link ManagementTokenSource.invalidate} after a 401 so the next call fetches once more. The
 * token never appears in an error message.
 */
export interface ManagementTokenSource {
  token(): Promise<string>;
  /** Forget a token the server refused (401); a static token cannot be replaced. */
  invalidate(refused: string): void;
}

export interface ClientCredentialsTokenOptions {
  /** The tenant URL, e.g. `https://tenant.auth0.com` or `http://127.0.0.1:4000`. */
  tenantUrl: string;
  clientId: string;
  clientSecret: string;
  /** Epoch milliseconds; tests inject a fake clock. @default Date.now */
  now?: () => number;
  fetch?: typeof globalThis.fetch;
  /** @default 60 */
  refreshMarginSeconds?: number;
}

/** Stable code of a failed token exchange. */
export class ManagementTokenError extends Error {
  readonly code = "management_token_failed";
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "ManagementTokenError";
  }
}

export function staticManagementToken(token: string): ManagementTokenSource {
  return { token: () => Promise.resolve(token), invalidate: () => undefined };
}

/**
 * `grants:auth0Domain` may be a bare host (`tenant.auth0.com`, `https://` assumed) or a full
 * URL (`http://127.0.0.1:4000`, for the local server); a trailing slash is dropped.
 */
export function tenantUrlOf(domain: string): string {
  const trimmed = domain.trim().replace(/\/+$/, "");
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export function clientCredentialsManagementToken(
  options: ClientCredentialsTokenOptions,
): ManagementTokenSource {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;
  const marginMs = (options.refreshMarginSeconds ?? 60) * 1000;
  const tenantUrl = tenantUrlOf(options.tenantUrl);
  let cached: { token: string; refreshAt: number } | undefined;
  // Concurrent callers share one exchange instead of each starting their own.
  let pending: Promise<string> | undefined;

  async function exchange(): Promise<string> {
    const response = await doFetch(`${tenantUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: options.clientId,
        client_secret: options.clientSecret,
        audience: `${tenantUrl}/api/v2/`,
      }).toString(),
    });
    const body = (await response.json().catch(() => undefined)) as
      | {
          access_token?: unknown;
          expires_in?: unknown;
          error?: unknown;
          error_description?: unknown;
        }
      | undefined;
    if (!response.ok || typeof body?.access_token !== "string") {
      const reason =
        typeof body?.error === "string"
          ? `${body.error}${typeof body.error_description === "string" ? `: ${body.error_description}` : ""}`
          : `HTTP ${response.status}`;
      throw new ManagementTokenError(
        `Management API token for client ${options.clientId} at ${tenantUrl}/oauth/token: ${reason}`,
        response.status,
      );
    }
    const lifetimeMs = (typeof body.expires_in === "number" ? body.expires_in : 86_400) * 1000;
    // A lifetime shorter than twice the margin refreshes at half-life instead of at once.
    const refreshAt = now() + Math.max(lifetimeMs - marginMs, lifetimeMs / 2);
    cached = { token: body.access_token, refreshAt };
    return body.access_token;
  }

  return {
    async token() {
      if (cached && now() < cached.refreshAt) return cached.token;
      pending ??= exchange().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(refused) {
      if (cached?.token === refused) cached = undefined;
    },
  };
}
