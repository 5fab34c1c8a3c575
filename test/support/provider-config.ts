import type * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";

/** The environment fallbacks of the provider settings; tests clear them so only config counts. */
export const GRANTS_ENV_VARS = [
  "GRANTS_API_URL",
  "GRANTS_API_TOKEN",
  "GRANTS_MANAGEMENT_API_URL",
  "GRANTS_MANAGEMENT_API_TOKEN",
  "GRANTS_AUTH0_DOMAIN",
  "GRANTS_AUTH0_CLIENT_ID",
  "GRANTS_AUTH0_CLIENT_SECRET",
  "GRANTS_BACKEND",
  "GRANTS_NEVISMETA_URL",
  "GRANTS_NEVISMETA_USERNAME",
  "GRANTS_NEVISMETA_PASSWORD",
  "GRANTS_MAX_RETRY_WAIT_SECONDS",
  "GRANTS_REQUEST_TIMEOUT_SECONDS",
  "GRANTS_MAX_REQUESTS_PER_SECOND",
] as const;

export function clearGrantsEnvironment(): void {
  for (const name of GRANTS_ENV_VARS) vi.stubEnv(name, undefined);
}

/**
 * A `configure` request as the dynamic-provider host builds it: the whole stack config with
 * namespaced keys (`grants:apiUrl`), un-namespaced keys prefixed with the project name.
 */
export function configureRequest(
  values: Readonly<Record<string, string>>,
  project = "test-project",
): pulumi.dynamic.ConfigureRequest {
  const get = (key: string) => values[key.includes(":") ? key : `${project}:${key}`];
  return {
    config: {
      get,
      require(key: string) {
        const value = get(key);
        if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
        return value;
      },
    },
  };
}
