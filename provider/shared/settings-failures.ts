import type { CheckFailure } from "./check-inputs";
import type { SettingsResolution } from "./api-settings";

/**
 * Missing or malformed settings as check failures, so `pulumi preview` stops before anything is
 * planned. The property is left empty: the problem is the stack config, not a resource input.
 */
export function settingsFailures(resolution: SettingsResolution<unknown>): CheckFailure[] {
  if (resolution.ok) return [];
  return resolution.problems.map((reason) => ({ property: "", reason }));
}
