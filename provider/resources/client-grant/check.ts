import type * as pulumi from "@pulumi/pulumi";
import { resolveManagementSettings } from "../../shared/api-settings";
import { validateKnownInputs, withoutDuplicates } from "../../shared/check-inputs";
import { settingsFailures } from "../../shared/settings-failures";
import type { ClientGrantInputs } from "./schema";
import {
  clientGrantCrossFieldFailures,
  clientGrantInputsSchema,
  clientGrantSetKeys,
} from "./schema";

/**
 * Validates, fills the API defaults, and drops duplicates from set-valued inputs, keeping the
 * order the program declares (so `pulumi preview --diff` shows an added scope as one `+` line).
 * Reordering `scopes` is still no change: the diff compares them as sets.
 */
export async function checkClientGrant(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult<ClientGrantInputs>> {
  const { inputs, unknownKeys, failures } = validateKnownInputs(clientGrantInputsSchema, news);
  failures.push(...clientGrantCrossFieldFailures(inputs, unknownKeys));
  if (failures.length === 0) {
    for (const key of clientGrantSetKeys) {
      const value = inputs[key];
      if (!unknownKeys.has(key) && Array.isArray(value)) inputs[key] = withoutDuplicates(value);
    }
  }
  failures.push(...settingsFailures(resolveManagementSettings()));
  return { inputs: inputs as ClientGrantInputs, failures };
}
