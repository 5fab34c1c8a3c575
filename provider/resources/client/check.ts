import type * as pulumi from "@pulumi/pulumi";
import { checkClientMetadataRules } from "../../../sdk/schemas/oauth-client-metadata";
import {
  resolveClientBackend,
  resolveManagementSettings,
  resolveNevisMetaSettings,
  resolveUseGrantSettings,
} from "../../shared/api-settings";
import { issueFailures, validateKnownInputs } from "../../shared/check-inputs";
import { settingsFailures } from "../../shared/settings-failures";
import { metadataOfInputs } from "./mapping";
import {
  auth0OnlyInputKeys,
  auth0OnlyInputNames,
  auth0SharedMetadataKeys,
  clientMetadataInputKeys,
  clientMetadataInputNames,
  clientInputsSchema,
} from "./schema";
import type { CheckedClientInputs, ClientInputs } from "./schema";

/** What a machine client gets when the program names no grant types: client_credentials. */
const DEFAULT_GRANT_TYPES = ["client_credentials"];

/**
 * Validates the inputs and the settings `create` will need; preview fails on any failure. The
 * backend (`grants:backend`) decides which inputs apply: useGrant clients take `audience` and no
 * OAuth metadata (its API has none), nevisMeta clients the metadata and no `audience`.
 */
export async function checkClient(
  _olds: unknown,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult<CheckedClientInputs>> {
  const { inputs, unknownKeys, failures } = validateKnownInputs(clientInputsSchema, news);
  const backend = resolveClientBackend();
  if (!backend.ok) {
    failures.push(...settingsFailures(backend));
    return { inputs: inputs as CheckedClientInputs, failures };
  }
  // The Auth0-only inputs have no field on the other two APIs.
  if (backend.settings !== "auth0") {
    for (const key of auth0OnlyInputKeys) {
      if (inputs[key] !== undefined) {
        failures.push({
          property: key,
          reason: `\`${key}\` needs \`grants:backend auth0\`: it is the Auth0 application's ${auth0OnlyInputNames[key]}`,
        });
      }
    }
  }
  if (backend.settings === "auth0") return checkAuth0Client(inputs, failures);
  if (backend.settings === "usegrant") {
    if (!("audience" in inputs) || inputs.audience === undefined) {
      failures.push({
        property: "audience",
        reason: "audience is required on the useGrant backend",
      });
    }
    for (const key of clientMetadataInputKeys) {
      if (inputs[key] !== undefined) {
        failures.push({
          property: key,
          reason: `\`${key}\` needs \`grants:backend nevis\`: the useGrant API has no ${clientMetadataInputNames[key]}`,
        });
      }
    }
    failures.push(...settingsFailures(resolveUseGrantSettings()));
    return { inputs: inputs as CheckedClientInputs, failures };
  }

  if (inputs.audience !== undefined) {
    failures.push({
      property: "audience",
      reason: "nevisMeta clients have no audience; the client grant names the API",
    });
  }
  const checked: CheckedClientInputs = {
    ...(inputs as ClientInputs),
    grantTypes: (inputs.grantTypes as ClientInputs["grantTypes"]) ?? DEFAULT_GRANT_TYPES,
    backend: "nevis",
  } as CheckedClientInputs;
  // Cross-field rules (public ⇔ none, private_key_jwt needs jwks, …) on what is known, reported
  // under the camelCase property.
  if (failures.length === 0 && unknownKeys.size === 0) {
    const issues: Parameters<typeof issueFailures>[0][number][] = [];
    checkClientMetadataRules(metadataOfInputs(checked), {
      addIssue: (issue: { path?: PropertyKey[]; message?: string }) =>
        issues.push({
          code: "custom",
          path: (issue.path ?? []).map(camelOf),
          message: issue.message ?? "",
        } as never),
    } as never);
    failures.push(...issueFailures(issues));
  }
  failures.push(...settingsFailures(resolveNevisMetaSettings()));
  return { inputs: checked, failures };
}

/**
 * An Auth0 application: no `audience` (its client grants name the APIs), the metadata inputs
 * Auth0 has a field for, a secret method (private_key_jwt credentials are PEMs on Auth0, not
 * the JWKs `jwks` takes), and the Management API settings, which create it.
 */
function checkAuth0Client(
  inputs: Record<string, unknown>,
  failures: pulumi.dynamic.CheckFailure[],
): pulumi.dynamic.CheckResult<CheckedClientInputs> {
  if (inputs.audience !== undefined) {
    failures.push({
      property: "audience",
      reason: "Auth0 applications have no audience; the client grant names the API",
    });
  }
  for (const key of clientMetadataInputKeys) {
    if (
      inputs[key] !== undefined &&
      !(auth0SharedMetadataKeys as readonly string[]).includes(key)
    ) {
      failures.push({
        property: key,
        reason: `\`${key}\` needs \`grants:backend nevis\`: an Auth0 application has no ${clientMetadataInputNames[key]}`,
      });
    }
  }
  if (inputs.tokenEndpointAuthMethod === "private_key_jwt") {
    failures.push({
      property: "tokenEndpointAuthMethod",
      reason:
        "a Client on grants:backend auth0 authenticates with its secret: none, client_secret_post or client_secret_basic",
    });
  }
  failures.push(...settingsFailures(resolveManagementSettings()));
  const checked = {
    ...(inputs as ClientInputs),
    grantTypes: (inputs.grantTypes as ClientInputs["grantTypes"]) ?? DEFAULT_GRANT_TYPES,
    backend: "auth0",
  } as CheckedClientInputs;
  return { inputs: checked, failures };
}

function camelOf(segment: PropertyKey): PropertyKey {
  const entry = Object.entries(clientMetadataInputNames).find(([, snake]) => snake === segment);
  return entry === undefined ? segment : entry[0];
}
