import { currentSettings, missingSettingMessage, settingSources } from "../config";
import type { SettingName, Settings } from "../config";
import { tenantUrlOf } from "../../sdk/management-token-source";

/** What the useGrant-dialect resources (Provider, Client) need. */
export interface UseGrantSettings {
  readonly apiUrl: string;
  readonly apiToken: string;
}

export type SettingsResolution<T> =
  | { readonly ok: true; readonly settings: T }
  | { readonly ok: false; readonly problems: readonly string[] };

export const resolveUseGrantSettings = keptPerSettings(function resolveUseGrantSettings(
  settings: Settings,
): SettingsResolution<UseGrantSettings> {
  const problems: string[] = [];
  const apiUrl = requireUrl(settings, "apiUrl", problems);
  const apiToken = requireValue(settings, "apiToken", problems);
  if (apiUrl === undefined || apiToken === undefined) return { ok: false, problems };
  return { ok: true, settings: { apiUrl, apiToken } };
});

/**
 * How the Management API is authenticated: a static bearer token, or an M2M application's
 * credentials that the provider exchanges at the tenant's `/oauth/token` for its own tokens.
 */
export type ManagementCredentials =
  | { readonly kind: "token"; readonly token: string }
  | {
      readonly kind: "clientCredentials";
      readonly tenantUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
    };

/** What ClientGrant (and Client on `auth0`) needs: the Management API base and how to sign in. */
export interface ManagementSettings {
  readonly managementApiUrl: string;
  readonly credentials: ManagementCredentials;
}

const AUTH0_CREDENTIAL_SETTINGS = ["auth0Domain", "auth0ClientId", "auth0ClientSecret"] as const;

/**
 * Three ways, in this order: a static `grants:managementApiToken`; the tenant's client
 * credentials (`grants:auth0Domain` + `grants:auth0ClientId` + `grants:auth0ClientSecret`, all
 * three or none), whose tenant also gives the default URL `<tenant>/api/v2`; or, on the grant
 * server, which serves both APIs, the useGrant settings: the URL `<apiUrl>/api/v2` and the API
 * token.
 */
export const resolveManagementSettings = keptPerSettings(function resolveManagementSettings(
  settings: Settings,
): SettingsResolution<ManagementSettings> {
  const problems: string[] = [];
  const auth0Set = AUTH0_CREDENTIAL_SETTINGS.filter((name) => settings[name] !== undefined);
  let clientCredentials: ManagementCredentials | undefined;
  if (auth0Set.length > 0 && settings.managementApiToken === undefined) {
    for (const name of AUTH0_CREDENTIAL_SETTINGS) {
      if (settings[name] === undefined) {
        problems.push(
          `${missingSettingMessage(name)} It is needed with ${auth0Set.map((set) => settingSources[set].configKey).join(" and ")}.`,
        );
      }
    }
    const tenantUrl = auth0TenantUrl(settings, problems);
    if (problems.length > 0 || tenantUrl === undefined) return { ok: false, problems };
    clientCredentials = {
      kind: "clientCredentials",
      tenantUrl,
      clientId: settings.auth0ClientId as string,
      clientSecret: settings.auth0ClientSecret as string,
    };
  }

  let managementApiUrl: string | undefined;
  if (settings.managementApiUrl !== undefined) {
    managementApiUrl = requireUrl(settings, "managementApiUrl", problems);
  } else if (clientCredentials?.kind === "clientCredentials") {
    managementApiUrl = `${clientCredentials.tenantUrl}/api/v2`;
  } else if (settings.apiUrl !== undefined) {
    const apiUrl = requireUrl(settings, "apiUrl", problems);
    if (apiUrl !== undefined) managementApiUrl = `${apiUrl.replace(/\/+$/, "")}/api/v2`;
  } else {
    problems.push(missingSettingMessage("managementApiUrl", "apiUrl"));
  }
  if (clientCredentials !== undefined) {
    if (managementApiUrl === undefined) return { ok: false, problems };
    return { ok: true, settings: { managementApiUrl, credentials: clientCredentials } };
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
      `${missingSettingMessage("managementApiToken", sameService ? "apiToken" : undefined)} ` +
        `Or let the provider fetch its own tokens: set ${AUTH0_CREDENTIAL_SETTINGS.map((name) => settingSources[name].configKey).join(", ")}.`,
    );
  }
  if (managementApiUrl === undefined || managementApiToken === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    settings: { managementApiUrl, credentials: { kind: "token", token: managementApiToken } },
  };
});

/**
 * `grants:auth0Domain` is a bare host (`tenant.auth0.com`, https assumed, as Auth0's SDKs take
 * it) or a full URL (`http://127.0.0.1:4000`, the local server); the tenant URL has no path.
 */
function auth0TenantUrl(settings: Settings, problems: string[]): string | undefined {
  const domain = settings.auth0Domain;
  if (domain === undefined) return undefined;
  const tenantUrl = tenantUrlOf(domain);
  const url = URL.canParse(tenantUrl) ? new URL(tenantUrl) : undefined;
  if (url === undefined || url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    problems.push(
      `${settingSources.auth0Domain.configKey} must be a host name such as ${settingSources.auth0Domain.example} ` +
        `(or a URL with no path, such as http://127.0.0.1:4000), got "${domain}".`,
    );
    return undefined;
  }
  return tenantUrl;
}

/** What a `Client` on the nevisMeta backend needs: the REST base and HTTP Basic credentials. */
export interface NevisMetaSettings {
  readonly nevisMetaUrl: string;
  readonly nevisMetaUsername: string;
  readonly nevisMetaPassword: string;
}

/** The APIs a `Client` can live on, chosen by `grants:backend`. */
export const CLIENT_BACKENDS = ["usegrant", "nevis", "auth0"] as const;
export type ClientBackend = (typeof CLIENT_BACKENDS)[number];

export const resolveClientBackend = keptPerSettings(function resolveClientBackend(
  settings: Settings,
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
});

/**
 * The grant server serves nevisMeta too, so its settings default to the useGrant ones: the URL
 * to `<apiUrl>/nevismeta/rest`, the password to the API token (same origin only), the user name
 * to `admin`.
 */
export const resolveNevisMetaSettings = keptPerSettings(function resolveNevisMetaSettings(
  settings: Settings,
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
});

/** Throws the problems as one error; for the CRUD methods, which run after `check` passed. */
/**
 * A resolver whose result is kept per settings object: `currentSettings()` answers the same
 * object while nothing changed, so every check of every resource reuses one resolution. Results
 * are immutable (`readonly` throughout), so sharing them is safe.
 */
function keptPerSettings<T>(
  resolve: (settings: Settings) => SettingsResolution<T>,
): (settings?: Settings) => SettingsResolution<T> {
  const kept = new WeakMap<Settings, SettingsResolution<T>>();
  return (settings = currentSettings()) => {
    let resolution = kept.get(settings);
    if (resolution === undefined) {
      resolution = resolve(settings);
      kept.set(settings, resolution);
    }
    return resolution;
  };
}

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
