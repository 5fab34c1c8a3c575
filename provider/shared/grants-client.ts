import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { currentSettings, settingSources } from "../config";
import type { ManagementSettings, NevisMetaSettings, UseGrantSettings } from "./api-settings";

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

function retryOptions() {
  return { maxTotalWaitMs: maxRetryWaitSeconds() * 1000 };
}

/**
 * Runs `use` with a client made for this call and closed after it: nothing alive outlives a
 * provider method, so nothing alive can end up in a serialized closure.
 */
export async function withUseGrantClient<T>(
  settings: UseGrantSettings,
  use: (client: GrantsClient) => Promise<T>,
): Promise<T> {
  const client = createGrantsClient({
    apiUrl: settings.apiUrl,
    apiToken: settings.apiToken,
    retry: retryOptions(),
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** As {@link withUseGrantClient}, for the Auth0 Management API (client grants). */
export async function withManagementClient<T>(
  settings: ManagementSettings,
  use: (client: GrantsClient) => Promise<T>,
): Promise<T> {
  const client = createGrantsClient({
    // Only the management half is used; the useGrant base is required by the constructor.
    apiUrl: settings.managementApiUrl,
    apiToken: settings.managementApiToken,
    managementApiUrl: settings.managementApiUrl,
    managementApiToken: settings.managementApiToken,
    retry: retryOptions(),
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** As {@link withUseGrantClient}, for the nevisMeta REST API (Clients on `grants:backend nevis`). */
export async function withNevisMetaClient<T>(
  settings: NevisMetaSettings,
  use: (client: GrantsClient) => Promise<T>,
): Promise<T> {
  const client = createGrantsClient({
    // Only the nevisMeta half is used; the useGrant base is required by the constructor.
    apiUrl: settings.nevisMetaUrl,
    apiToken: settings.nevisMetaPassword,
    nevisMetaUrl: settings.nevisMetaUrl,
    nevisMetaUsername: settings.nevisMetaUsername,
    nevisMetaPassword: settings.nevisMetaPassword,
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
