import type * as pulumi from "@pulumi/pulumi";
import { resolveUseGrantSettings } from "../../shared/api-settings";
import { validateKnownInputs } from "../../shared/check-inputs";
import { settingsFailures } from "../../shared/settings-failures";
import type { ProviderInputs } from "./schema";
import { providerInputsSchema } from "./schema";

/** Validates the inputs and the settings `create` will need; preview fails on any failure. */
export async function checkProvider(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult<ProviderInputs>> {
  const { inputs, failures } = validateKnownInputs(providerInputsSchema, news);
  failures.push(...settingsFailures(resolveUseGrantSettings()));
  return { inputs: inputs as ProviderInputs, failures };
}
