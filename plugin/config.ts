import { settingSources, storeConfiguredSettings } from "../provider/config";

/** The package name is the namespace of every setting's config key (`grants:apiUrl`). */
const configNamespace = settingSources.apiUrl.configKey.split(":")[0] ?? "grants";

/** Stores settings from values keyed `grants:<name>` or `<name>`, through the dynamic provider's store. */
function storeSettings(values: Record<string, unknown>): void {
  const namespace = `${configNamespace}:`;
  const get = (key: string): string | undefined => {
    const name = key.startsWith(namespace) ? key.slice(namespace.length) : key;
    const value = values[key] ?? values[name];
    return typeof value === "string" ? value : undefined;
  };
  storeConfiguredSettings({
    get,
    require: (key: string) => {
      const value = get(key);
      if (value === undefined) throw new Error(`${key} is not set`);
      return value;
    },
  });
}

/**
 * The settings a plugin process has before the engine configures it: the engine starts every
 * resource plugin with the package's stack config as `PULUMI_CONFIG`, a JSON object keyed by the
 * name without the `grants:` namespace (pkg/host/host.go). Those values go through the same
 * store as the dynamic provider's `configure`, so both front doors read the same `grants:*` keys
 * with the same environment fallbacks (provider/config.ts).
 */
export function configureFromEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  let parsed: Record<string, unknown> = {};
  const raw = env["PULUMI_CONFIG"];
  if (raw !== undefined && raw.trim() !== "") {
    try {
      const value: unknown = JSON.parse(raw);
      if (value !== null && typeof value === "object") parsed = value as Record<string, unknown>;
    } catch {
      // Not ours to judge: a malformed variable means "no stack config", and the settings
      // checks then name the missing keys.
    }
  }
  storeSettings(parsed);
}

/**
 * The settings of the provider this process serves, from the engine's Configure request: for
 * the default provider they are the `grants:*` stack config, for an explicit provider
 * (`pulumi:providers:grants`) its own arguments, keyed `grants:config:<name>` either way. They replace
 * what {@link configureFromEnvironment} stored, as in every Pulumi provider: an explicit provider
 * does not read the stack config; unset settings still fall back to the environment.
 */
export function configureFromRequest(variables: Record<string, string>): void {
  // The engine keys them `grants:config:<name>`; the setting is the last part.
  const byName: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) byName[key.split(":").pop() ?? key] = value;
  storeSettings(byName);
}
