import type * as pulumi from "@pulumi/pulumi";

/**
 * Where each provider setting comes from: a stack config key in the `grants` namespace, or an
 * environment variable. Stack config wins. Tokens are secrets: set them with
 * `pulumi config set --secret`.
 */
export const settingSources = {
  apiUrl: {
    configKey: "grants:apiUrl",
    envVar: "GRANTS_API_URL",
    secret: false,
    example: "http://127.0.0.1:4000",
  },
  apiToken: {
    configKey: "grants:apiToken",
    envVar: "GRANTS_API_TOKEN",
    secret: true,
    example: "<api token>",
  },
  managementApiUrl: {
    configKey: "grants:managementApiUrl",
    envVar: "GRANTS_MANAGEMENT_API_URL",
    secret: false,
    example: "https://<tenant>.auth0.com/api/v2",
  },
  managementApiToken: {
    configKey: "grants:managementApiToken",
    envVar: "GRANTS_MANAGEMENT_API_TOKEN",
    secret: true,
    example: "<management api token>",
  },
  // An Auth0 tenant and an M2M application of it: the provider exchanges the client
  // credentials for its own Management API tokens (as the Auth0 Terraform provider does), so no
  // token expires in the stack config. A static managementApiToken still wins when set.
  auth0Domain: {
    configKey: "grants:auth0Domain",
    envVar: "GRANTS_AUTH0_DOMAIN",
    secret: false,
    example: "<tenant>.auth0.com",
  },
  auth0ClientId: {
    configKey: "grants:auth0ClientId",
    envVar: "GRANTS_AUTH0_CLIENT_ID",
    secret: false,
    example: "<client id>",
  },
  auth0ClientSecret: {
    configKey: "grants:auth0ClientSecret",
    envVar: "GRANTS_AUTH0_CLIENT_SECRET",
    secret: true,
    example: "<client secret>",
  },
  // Which API a `Client` lives on: `usegrant` (default), `nevis` (nevisMeta) or `auth0` (an
  // Auth0 application on the Management API).
  backend: {
    configKey: "grants:backend",
    envVar: "GRANTS_BACKEND",
    secret: false,
    example: "nevis",
  },
  nevisMetaUrl: {
    configKey: "grants:nevisMetaUrl",
    envVar: "GRANTS_NEVISMETA_URL",
    secret: false,
    example: "https://<host>/nevismeta/rest",
  },
  nevisMetaUsername: {
    configKey: "grants:nevisMetaUsername",
    envVar: "GRANTS_NEVISMETA_USERNAME",
    secret: false,
    example: "admin",
  },
  nevisMetaPassword: {
    configKey: "grants:nevisMetaPassword",
    envVar: "GRANTS_NEVISMETA_PASSWORD",
    secret: true,
    example: "<nevisMeta password>",
  },
  maxRetryWaitSeconds: {
    configKey: "grants:maxRetryWaitSeconds",
    envVar: "GRANTS_MAX_RETRY_WAIT_SECONDS",
    secret: false,
    example: "300",
  },
  // How long one attempt of an API call may take before it counts as lost (and is retried).
  requestTimeoutSeconds: {
    configKey: "grants:requestTimeoutSeconds",
    envVar: "GRANTS_REQUEST_TIMEOUT_SECONDS",
    secret: false,
    example: "60",
  },
  // One request budget per provider process and API origin (sdk/pacing.ts): a number of
  // requests per second, or `unlimited`. Unset: no ceiling on loopback, 2/s to Auth0 hosts.
  maxRequestsPerSecond: {
    configKey: "grants:maxRequestsPerSecond",
    envVar: "GRANTS_MAX_REQUESTS_PER_SECOND",
    secret: false,
    example: "2",
  },
} as const;

export type SettingName = keyof typeof settingSources;
export type Settings = { readonly [K in SettingName]?: string };

const settingNames = Object.keys(settingSources) as SettingName[];

// The dynamic-provider process calls `configure` once per provider kind, always with the same
// stack config; the values live here, in the implementation module of that process, and never on
// the provider object (which is serialized into state).
let configured: Settings = {};

/** Stores the stack config the engine hands to `configure` (keys arrive namespaced). */
export function storeConfiguredSettings(config: pulumi.dynamic.Config): void {
  const next: { [K in SettingName]?: string } = {};
  for (const name of settingNames) {
    const value = nonEmpty(config.get(settingSources[name].configKey));
    if (value !== undefined) next[name] = value;
  }
  configured = next;
}

/** Forgets the stored stack config (tests that configure several times in one process). */
export function clearConfiguredSettings(): void {
  configured = {};
}

/**
 * The effective settings: stack config, else the environment. Read on every call, so a rotated
 * token in the environment takes effect without a new `pulumi up`.
 */
export function currentSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const settings: { [K in SettingName]?: string } = {};
  for (const name of settingNames) {
    const value = configured[name] ?? nonEmpty(env[settingSources[name].envVar]);
    if (value !== undefined) settings[name] = value;
  }
  // The same object while no value changed, so what is derived from it (parsed URLs, resolved
  // credentials: ./shared/api-settings.ts) is derived once, not on every check of every resource.
  if (lastSettings !== undefined && sameSettings(lastSettings, settings)) return lastSettings;
  lastSettings = Object.freeze(settings);
  return lastSettings;
}

let lastSettings: Settings | undefined;

function sameSettings(a: Settings, b: Settings): boolean {
  return settingNames.every((name) => a[name] === b[name]);
}

/** The sentence a user reads when a setting is missing: which key, and the command that sets it. */
export function missingSettingMessage(name: SettingName, alternative?: SettingName): string {
  const source = settingSources[name];
  const command = `pulumi config set ${source.secret ? "--secret " : ""}${source.configKey} ${source.example}`;
  const fallback =
    alternative === undefined
      ? ""
      : ` (or ${settingSources[alternative].configKey}, which it defaults to)`;
  return (
    `${source.configKey} is not set${fallback}. Set it with \`${command}\`, ` +
    `or set the ${source.envVar} environment variable.`
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}
