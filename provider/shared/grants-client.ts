import { DEFAULT_TIMEOUT_MS, createGrantsClient, createRequestBudget } from "../../sdk/index";
import type { GrantsClient, GrantsClientOptions, RequestBudget } from "../../sdk/index";
import { currentSettings, settingSources } from "../config";
import { clientCredentialsManagementToken } from "../../sdk/management-token-source";
import type { ManagementTokenSource } from "../../sdk/management-token-source";
import type {
  ManagementCredentials,
  ManagementSettings,
  NevisMetaSettings,
  UseGrantSettings,
} from "./api-settings";

export type { GrantsClient };

/**
 * The most one API call waits for the server between its attempts, summed, by default: longer
 * than the grant server's one-minute rate-limit window, so a rate-limited call waits it out.
 */
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 120;

/** `grants:maxRetryWaitSeconds` (or its environment variable), validated. */
export function maxRetryWaitSeconds(): number {
  const raw = currentSettings().maxRetryWaitSeconds;
  if (raw === undefined) return DEFAULT_MAX_RETRY_WAIT_SECONDS;
  if (!/^\d+$/.test(raw) || Number(raw) > 3600) {
    throw new Error(
      `${settingSources.maxRetryWaitSeconds.configKey} must be a whole number of seconds from 0 to 3600, got "${raw}".`,
    );
  }
  return Number(raw);
}

/** The sdk's own timeout for one attempt, in seconds, unless the setting says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;

/** `grants:requestTimeoutSeconds` (or its environment variable), validated. */
export function requestTimeoutSeconds(): number {
  const raw = currentSettings().requestTimeoutSeconds;
  if (raw === undefined) return DEFAULT_REQUEST_TIMEOUT_SECONDS;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 600) {
    throw new Error(
      `${settingSources.requestTimeoutSeconds.configKey} must be a whole number of seconds from 1 to 600, got "${raw}".`,
    );
  }
  return Number(raw);
}

/**
 * Attempts per API call of a resource operation. A 20 % share of lost or refused requests makes
 * four attempts fail about once in 600 calls, so an `up` of a few hundred resources would fail
 * one run in three; eight fail once in 400 000. The time spent is bounded by
 * `grants:maxRetryWaitSeconds` whatever the count.
 */
export const OPERATION_ATTEMPTS = 8;

/** The longest backoff between two attempts when the server did not say how long to wait. */
export const OPERATION_MAX_BACKOFF_MS = 2_000;

/**
 * Attempts of the read-only checks `check` makes (whether the API answers, whether an id
 * exists): few, so a stopped server fails a preview at once. A check that still meets a
 * transient failure passes, and the operation's own retries deal with it.
 */
export const PROBE_ATTEMPTS = 3;

/** What a client is for: resource operations, or the quick checks of `check`. */
export type ClientPurpose = "operation" | "probe";

/**
 * `grants:maxRequestsPerSecond` (or its environment variable), validated: a number of requests
 * per second greater than 0, or `unlimited`; `undefined` (unset) leaves each API origin its
 * host default (no ceiling on loopback, 2 per second to Auth0 hosts).
 */
export function maxRequestsPerSecond(): number | undefined {
  const raw = currentSettings().maxRequestsPerSecond;
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === "unlimited") return Infinity;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value > 0) || value > 100_000) {
    throw new Error(
      `${settingSources.maxRequestsPerSecond.configKey} must be a number of requests per second greater than 0 (such as 2 or 0.5), or "unlimited", got "${raw}".`,
    );
  }
  return value;
}

// One budget for the whole provider process, whatever client a resource operation uses: a
// ClientGrant and a Client on the same grant server spend the same rate limit. Replaced only
// when the setting changes; it holds counters and timestamps, nothing secret.
let budget: { readonly setting: number | undefined; readonly budget: RequestBudget } | undefined;

/** The request budget every client of this provider process sends through. */
export function processRequestBudget(): RequestBudget {
  const setting = maxRequestsPerSecond();
  if (budget === undefined || budget.setting !== setting) {
    budget = { setting, budget: createRequestBudget({ maxRequestsPerSecond: setting }) };
  }
  return budget.budget;
}

/**
 * At most this many clients stay open per process. Settings change rarely within one provider
 * process (a rotated token in the environment is the usual case); the oldest client is closed
 * when a new set of settings would exceed the limit.
 */
const MAX_CACHED_CLIENTS = 8;

// One client (and so one keep-alive connection pool) per set of settings, for the life of the
// dynamic-provider process: a `pulumi up` of 500 grants would otherwise open and close 500
// connections. The cache lives in this implementation module, which the serialized providers
// `require()` when a method runs; the provider objects themselves hold nothing, so nothing alive
// ends up in a serialized closure. Idle keep-alive sockets are unref'd by undici, so the cache
// never keeps a process alive. The key holds tokens only in this process's memory.
const clients = new Map<string, GrantsClient>();

function cachedClient(
  options: GrantsClientOptions,
  purpose: ClientPurpose,
  identity: unknown = options,
): GrantsClient {
  const retry = {
    attempts: purpose === "probe" ? PROBE_ATTEMPTS : OPERATION_ATTEMPTS,
    // More attempts, shorter backoffs: the sdk's 8 s cap would make a stopped server take
    // half a minute to report. A server that asks for longer still gets its Retry-After.
    maxDelayMs: OPERATION_MAX_BACKOFF_MS,
    maxTotalWaitMs: maxRetryWaitSeconds() * 1000,
  };
  const timeoutMs = requestTimeoutSeconds() * 1000;
  const withRetry: GrantsClientOptions = { ...options, retry, timeoutMs };
  const requestBudget = processRequestBudget();
  // `identity` stands for options that do not serialize (a token source names its credentials);
  // the budget is part of the key by its setting: a new budget needs clients that use it.
  const key = JSON.stringify({
    identity,
    retry,
    timeoutMs,
    maxRequestsPerSecond: String(requestBudget.maxRequestsPerSecond),
  });
  const found = clients.get(key);
  if (found !== undefined) {
    // Most recently used last, so the first entry is the one to evict.
    clients.delete(key);
    clients.set(key, found);
    return found;
  }
  const client = createGrantsClient({ ...withRetry, requestBudget });
  clients.set(key, client);
  while (clients.size > MAX_CACHED_CLIENTS) {
    const [oldestKey, oldest] = clients.entries().next().value as [string, GrantsClient];
    clients.delete(oldestKey);
    // Requests still in flight on it finish first: undici's close waits for them.
    void oldest.close().catch(() => undefined);
  }
  return client;
}

/** Closes every cached client (tests that start and stop servers in one process). */
export async function closeCachedClients(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  budget = undefined;
  await Promise.all(open.map((client) => client.close()));
}

/** Runs `use` with this process's client for the useGrant API at these settings. */
export async function withUseGrantClient<T>(
  settings: UseGrantSettings,
  use: (client: GrantsClient) => Promise<T>,
  purpose: ClientPurpose = "operation",
): Promise<T> {
  return use(cachedClient({ apiUrl: settings.apiUrl, apiToken: settings.apiToken }, purpose));
}

const TOKEN_EXCHANGE_TIMEOUT_MS = 30_000;

// One token source per tenant application for the life of the provider process: every resource
// of an `up` shares its cached token, and a refresh near expiry happens once, not per resource.
const tokenSources = new Map<string, ManagementTokenSource>();

function tokenSourceOf(
  credentials: Extract<ManagementCredentials, { kind: "clientCredentials" }>,
): ManagementTokenSource {
  const key = JSON.stringify(credentials);
  let source = tokenSources.get(key);
  if (source === undefined) {
    source = clientCredentialsManagementToken({
      tenantUrl: credentials.tenantUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      // The exchange is a network call like any other: bounded.
      fetch: (url, init) =>
        globalThis.fetch(url, { ...init, signal: AbortSignal.timeout(TOKEN_EXCHANGE_TIMEOUT_MS) }),
    });
    tokenSources.set(key, source);
  }
  return source;
}

/**
 * As {@link withUseGrantClient}, for the Auth0 Management API (client grants, Auth0
 * applications): with a static token, or with tokens fetched by client credentials.
 */
export async function withManagementClient<T>(
  settings: ManagementSettings,
  use: (client: GrantsClient) => Promise<T>,
  purpose: ClientPurpose = "operation",
): Promise<T> {
  const { managementApiUrl, credentials } = settings;
  if (credentials.kind === "token") {
    return use(
      cachedClient(
        {
          // Only the management half is used; the useGrant base is required by the constructor.
          apiUrl: managementApiUrl,
          apiToken: credentials.token,
          managementApiUrl,
          managementApiToken: credentials.token,
        },
        purpose,
      ),
    );
  }
  return use(
    cachedClient(
      {
        apiUrl: managementApiUrl,
        // Never sent: the useGrant half is unused, and management calls ask the token source.
        apiToken: "unused",
        managementApiUrl,
        managementTokenSource: tokenSourceOf(credentials),
      },
      purpose,
      { managementApiUrl, credentials },
    ),
  );
}

/** Forgets the cached Management API tokens (tests that restart servers in one process). */
export function clearManagementTokenSources(): void {
  tokenSources.clear();
}

/** As {@link withUseGrantClient}, for the nevisMeta REST API (Clients on `grants:backend nevis`). */
export async function withNevisMetaClient<T>(
  settings: NevisMetaSettings,
  use: (client: GrantsClient) => Promise<T>,
  purpose: ClientPurpose = "operation",
): Promise<T> {
  return use(
    cachedClient(
      {
        // Only the nevisMeta half is used; the useGrant base is required by the constructor.
        apiUrl: settings.nevisMetaUrl,
        apiToken: settings.nevisMetaPassword,
        nevisMetaUrl: settings.nevisMetaUrl,
        nevisMetaUsername: settings.nevisMetaUsername,
        nevisMetaPassword: settings.nevisMetaPassword,
      },
      purpose,
    ),
  );
}
