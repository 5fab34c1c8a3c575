import type * as pulumi from "@pulumi/pulumi";
import { resolveManagementSettings } from "../../shared/api-settings";
import { normalizeSet, validateKnownInputs } from "../../shared/check-inputs";
import { settingsFailures } from "../../shared/settings-failures";
import type { ClientGrantInputs } from "./schema";
import {
  clientGrantCrossFieldFailures,
  clientGrantInputsSchema,
  clientGrantSetKeys,
} from "./schema";

/**
 * Validates, fills the API defaults, and puts set-valued inputs in normal form (sorted, no
 * duplicates), so reordering `scopes` in a program never shows up as a change.
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
      if (!unknownKeys.has(key) && Array.isArray(value)) inputs[key] = normalizeSet(value);
    }
  }
  failures.push(...settingsFailures(resolveManagementSettings()));
  return { inputs: inputs as ClientGrantInputs, failures };
}
