import { settingSources, storeConfiguredSettings } from "../provider/config";

/**
 * The native provider host ignores the Configure request's arguments (reference §5); the engine
 * also starts every resource plugin with the package's stack config as `PULUMI_CONFIG`, a JSON
 * object keyed by the name without the `grants:` namespace (pkg/host/host.go). Those values go
 * through the same store as the dynamic provider's `configure`, so both front doors read the
 * same `grants:*` keys with the same environment fallbacks (provider/config.ts).
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
  const namespace = `${configNamespace}:`;
  const get = (key: string): string | undefined => {
    const name = key.startsWith(namespace) ? key.slice(namespace.length) : key;
    const value = parsed[name] ?? parsed[key];
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

/** The package name is the namespace of every setting's config key (`grants:apiUrl`). */
const configNamespace = settingSources.apiUrl.configKey.split(":")[0] ?? "grants";
