import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient, GrantsClientOptions } from "../../sdk/index";
import type { ManagementSettings, UseGrantSettings } from "./api-settings";

export type { GrantsClient };

/**
 * At most this many clients stay open per process. Settings change rarely within one provider
 * process (a rotated token in the environment is the usual case); the oldest client is closed
 * when a new set of settings would exceed the limit.
 */
const MAX_CACHED_CLIENTS = 4;

// One client (and so one keep-alive connection pool) per set of settings, for the life of the
// dynamic-provider process: a `pulumi up` of 500 grants would otherwise open and close 500
// connections. The cache lives in this implementation module, which the serialized providers
// `require()` when a method runs; the provider objects themselves hold nothing, so nothing alive
// ends up in a serialized closure. Idle keep-alive sockets are unref'd by undici, so the cache
// never keeps a process alive.
const clients = new Map<string, GrantsClient>();

function cachedClient(options: GrantsClientOptions): GrantsClient {
  const key = JSON.stringify([
    options.apiUrl,
    options.apiToken,
    options.managementApiUrl,
    options.managementApiToken,
  ]);
  const found = clients.get(key);
  if (found !== undefined) {
    // Most recently used last, so the first entry is the one to evict.
    clients.delete(key);
    clients.set(key, found);
    return found;
  }
  const client = createGrantsClient(options);
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
  await Promise.all(open.map((client) => client.close()));
}

/** Runs `use` with this process's client for the useGrant API at these settings. */
export async function withUseGrantClient<T>(
  settings: UseGrantSettings,
  use: (client: GrantsClient) => Promise<T>,
): Promise<T> {
  return use(cachedClient({ apiUrl: settings.apiUrl, apiToken: settings.apiToken }));
}

/** As {@link withUseGrantClient}, for the Auth0 Management API (client grants). */
export async function withManagementClient<T>(
  settings: ManagementSettings,
  use: (client: GrantsClient) => Promise<T>,
): Promise<T> {
  return use(
    cachedClient({
      // Only the management half is used; the useGrant base is required by the constructor.
      apiUrl: settings.managementApiUrl,
      apiToken: settings.managementApiToken,
      managementApiUrl: settings.managementApiUrl,
      managementApiToken: settings.managementApiToken,
    }),
  );
}
