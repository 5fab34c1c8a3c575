import type { ManagementSettings, NevisMetaSettings, UseGrantSettings } from "./api-settings";

// What a provider process keeps (probe answers, reads, adoptions) is keyed by the API and
// credential it was learnt with: ids and answers of two servers, or of two tokens, are never one.

/** The key of one API, URL and credential. */
export function settingsKey(api: string, url: string, credential: string): string {
  return JSON.stringify([api, url, credential]);
}

/** The key of the useGrant API and token of `settings`. */
export function useGrantKey(settings: UseGrantSettings): string {
  return settingsKey("usegrant", settings.apiUrl, settings.apiToken);
}

/** The key of the Management API and credentials of `settings`. */
export function managementKey(settings: ManagementSettings): string {
  return settingsKey("management", settings.managementApiUrl, JSON.stringify(settings.credentials));
}

/** The key of the nevisMeta API and HTTP Basic credentials of `settings`. */
export function nevisMetaKey(settings: NevisMetaSettings): string {
  // Both parts, not `user:password` joined: "a:b" + "c" and "a" + "b:c" are two credentials.
  return settingsKey(
    "nevis",
    settings.nevisMetaUrl,
    JSON.stringify([settings.nevisMetaUsername, settings.nevisMetaPassword]),
  );
}
