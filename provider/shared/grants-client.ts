import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import type { ManagementSettings, NevisMetaSettings, UseGrantSettings } from "./api-settings";

export type { GrantsClient };

/**
 * Runs `use` with a client made for this call and closed after it: nothing alive outlives a
 * provider method, so nothing alive can end up in a serialized closure.
 */
export async function withUseGrantClient<T>(
  settings: UseGrantSettings,
  use: (client: GrantsClient) => Promise<T>,
): Promise<T> {
  const client = createGrantsClient({ apiUrl: settings.apiUrl, apiToken: settings.apiToken });
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
