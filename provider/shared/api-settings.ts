import { currentSettings, missingSettingMessage, settingSources } from "../config";
import type { SettingName, Settings } from "../config";

/** What the useGrant-dialect resources (Provider, Client) need. */
export interface UseGrantSettings {
  readonly apiUrl: string;
  readonly apiToken: string;
}

/** What ClientGrant needs: the Auth0 Management API base and its bearer token. */
export interface ManagementSettings {
  readonly managementApiUrl: string;
  readonly managementApiToken: string;
}

export type SettingsResolution<T> =
  | { readonly ok: true; readonly settings: T }
  | { readonly ok: false; readonly problems: readonly string[] };

export function resolveUseGrantSettings(
  settings: Settings = currentSettings(),
): SettingsResolution<UseGrantSettings> {
  const problems: string[] = [];
  const apiUrl = requireUrl(settings, "apiUrl", problems);
  const apiToken = requireValue(settings, "apiToken", problems);
  if (apiUrl === undefined || apiToken === undefined) return { ok: false, problems };
  return { ok: true, settings: { apiUrl, apiToken } };
}

/**
 * One grant server serves both APIs, so the management settings default to the useGrant ones:
 * the URL to `<apiUrl>/api/v2`, the token to the API token. Against an Auth0 tenant, set both
 * management settings and leave the useGrant ones out.
 */
export function resolveManagementSettings(
  settings: Settings = currentSettings(),
): SettingsResolution<ManagementSettings> {
  const problems: string[] = [];
  let managementApiUrl: string | undefined;
  if (settings.managementApiUrl !== undefined) {
    managementApiUrl = requireUrl(settings, "managementApiUrl", problems);
  } else if (settings.apiUrl !== undefined) {
    const apiUrl = requireUrl(settings, "apiUrl", problems);
    if (apiUrl !== undefined) managementApiUrl = `${apiUrl.replace(/\/+$/, "")}/api/v2`;
  } else {
    problems.push(missingSettingMessage("managementApiUrl", "apiUrl"));
  }
  // The API token stands in only for the same service: sent to an Auth0 tenant beside the hosted
  // useGrant API, it would hand one service's credential to another.
  const sameService =
    settings.managementApiUrl === undefined ||
    sameOrigin(settings.managementApiUrl, settings.apiUrl);
  const managementApiToken =
    settings.managementApiToken ?? (sameService ? settings.apiToken : undefined);
  if (managementApiToken === undefined) {
    problems.push(
      missingSettingMessage("managementApiToken", sameService ? "apiToken" : undefined),
    );
  }
  if (managementApiUrl === undefined || managementApiToken === undefined) {
    return { ok: false, problems };
  }
  return { ok: true, settings: { managementApiUrl, managementApiToken } };
}

/** What a `Client` on the nevisMeta backend needs: the REST base and HTTP Basic credentials. */
export interface NevisMetaSettings {
  readonly nevisMetaUrl: string;
  readonly nevisMetaUsername: string;
  readonly nevisMetaPassword: string;
}

/** The APIs a `Client` can live on, chosen by `grants:backend`. */
export const CLIENT_BACKENDS = ["usegrant", "nevis"] as const;
export type ClientBackend = (typeof CLIENT_BACKENDS)[number];

export function resolveClientBackend(
  settings: Settings = currentSettings(),
): SettingsResolution<ClientBackend> {
  const value = settings.backend ?? "usegrant";
  if ((CLIENT_BACKENDS as readonly string[]).includes(value)) {
    return { ok: true, settings: value as ClientBackend };
  }
  return {
    ok: false,
    problems: [
      `${settingSources.backend.configKey} must be one of ${CLIENT_BACKENDS.join(", ")}, got "${value}".`,
    ],
  };
}

/**
 * The grant server serves nevisMeta too, so its settings default to the useGrant ones: the URL
 * to `<apiUrl>/nevismeta/rest`, the password to the API token (same origin only), the user name
 * to `admin`.
 */
export function resolveNevisMetaSettings(
  settings: Settings = currentSettings(),
): SettingsResolution<NevisMetaSettings> {
  const problems: string[] = [];
  let nevisMetaUrl: string | undefined;
  if (settings.nevisMetaUrl !== undefined) {
    nevisMetaUrl = requireUrl(settings, "nevisMetaUrl", problems);
  } else if (settings.apiUrl !== undefined) {
    const apiUrl = requireUrl(settings, "apiUrl", problems);
    if (apiUrl !== undefined) nevisMetaUrl = `${apiUrl}/nevismeta/rest`;
  } else {
    problems.push(missingSettingMessage("nevisMetaUrl", "apiUrl"));
  }
  const sameService =
    settings.nevisMetaUrl === undefined || sameOrigin(settings.nevisMetaUrl, settings.apiUrl);
  const nevisMetaPassword =
    settings.nevisMetaPassword ?? (sameService ? settings.apiToken : undefined);
  if (nevisMetaPassword === undefined) {
    problems.push(missingSettingMessage("nevisMetaPassword", sameService ? "apiToken" : undefined));
  }
  if (nevisMetaUrl === undefined || nevisMetaPassword === undefined) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      nevisMetaUrl,
      nevisMetaPassword,
      nevisMetaUsername: settings.nevisMetaUsername ?? "admin",
    },
  };
}

/** Throws the problems as one error; for the CRUD methods, which run after `check` passed. */
export function settingsOrThrow<T>(resolution: SettingsResolution<T>): T {
  if (resolution.ok) return resolution.settings;
  throw new Error(resolution.problems.join("\n"));
}

function requireValue(settings: Settings, name: SettingName, problems: string[]) {
  const value = settings[name];
  if (value === undefined) problems.push(missingSettingMessage(name));
  return value;
}

function requireUrl(settings: Settings, name: SettingName, problems: string[]) {
  const value = requireValue(settings, name, problems);
  if (value === undefined) return undefined;
  // URLs are not secret, so echoing the value helps.
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    problems.push(
      `${settingSources[name].configKey} must be an http(s) URL such as ${settingSources[name].example}, got "${value}".`,
    );
    return undefined;
  }
  return value.replace(/\/+$/, "");
}

function sameOrigin(a: string, b: string | undefined): boolean {
  return (
    b !== undefined && URL.canParse(a) && URL.canParse(b) && new URL(a).origin === new URL(b).origin
  );
}
