import type * as pulumi from "@pulumi/pulumi";
import {
  resolveClientBackend,
  resolveManagementSettings,
  resolveUseGrantSettings,
} from "../../shared/api-settings";
import { validateKnownInputs } from "../../shared/check-inputs";
import { settingsFailures } from "../../shared/settings-failures";
import type { CheckedProviderInputs, ProviderInputs } from "./schema";
import { providerInputsSchema } from "./schema";

/**
 * Validates the inputs and the settings `create` will need; preview fails on any failure. The
 * backend (`grants:backend`) decides what a Provider is: a useGrant provider (on the grant
 * server also the nevisMeta setup), or on `auth0` the tenant itself.
 */
export async function checkProvider(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult<CheckedProviderInputs>> {
  const { inputs, failures } = validateKnownInputs(providerInputsSchema, news);
  const backend = resolveClientBackend();
  if (!backend.ok) {
    failures.push(...settingsFailures(backend));
    return { inputs: inputs as ProviderInputs, failures };
  }
  // On Auth0 the tenant is the issuer: this Provider stands for it, through the Management API
  // settings, and creates nothing.
  if (backend.settings === "auth0") {
    failures.push(...settingsFailures(resolveManagementSettings()));
    return { inputs: { ...(inputs as ProviderInputs), backend: "auth0" }, failures };
  }
  failures.push(...settingsFailures(resolveUseGrantSettings()));
  return { inputs: inputs as ProviderInputs, failures };
}
