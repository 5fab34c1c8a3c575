import type * as pulumi from "@pulumi/pulumi";
import { resolveUseGrantSettings } from "../../shared/api-settings";
import { validateKnownInputs } from "../../shared/check-inputs";
import { settingsFailures } from "../../shared/settings-failures";
import type { ClientInputs } from "./schema";
import { clientInputsSchema } from "./schema";

/** Validates the inputs and the settings `create` will need; preview fails on any failure. */
export async function checkClient(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult<ClientInputs>> {
  const { inputs, failures } = validateKnownInputs(clientInputsSchema, news);
  failures.push(...settingsFailures(resolveUseGrantSettings()));
  return { inputs: inputs as ClientInputs, failures };
}
