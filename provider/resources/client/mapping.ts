import type {
  NevisMetaClient,
  NevisMetaClientRequest,
} from "../../../sdk/schemas/nevismeta-client";
import { completeClientMetadata } from "../../../sdk/schemas/oauth-client-metadata";
import type { OAuthClientMetadataInput } from "../../../sdk/schemas/oauth-client-metadata";
import { clientMetadataInputKeys, clientMetadataInputNames } from "./schema";
import type { ClientInputs } from "./schema";

/** The snake_case metadata of the camelCase inputs that are set. */
export function metadataOfInputs(inputs: Partial<ClientInputs>): OAuthClientMetadataInput {
  const metadata: Record<string, unknown> = {};
  for (const key of clientMetadataInputKeys) {
    if (inputs[key] !== undefined) metadata[clientMetadataInputNames[key]] = inputs[key];
  }
  return metadata as OAuthClientMetadataInput;
}

/** The nevisMeta body of a Client: its name and metadata; id and secret stay the server's. */
export function toNevisMetaBody(inputs: ClientInputs): NevisMetaClientRequest {
  return { name: inputs.name, ...metadataOfInputs(inputs) } as NevisMetaClientRequest;
}

/**
 * The inputs a live nevisMeta client corresponds to, for refresh: a field the program sets is
 * always read back; one it leaves out only when its live value differs from the default, so an
 * out-of-band change shows as drift and an untouched default does not.
 */
export function inputsOfNevisMetaClient(
  live: NevisMetaClient,
  previous: Partial<ClientInputs>,
): Partial<ClientInputs> {
  const inputs: Record<string, unknown> = { providerId: previous.providerId, name: live.name };
  const liveFields = live as unknown as Record<string, unknown>;
  // What the previous inputs yield with the setup defaults (method and confidentiality derive
  // from each other): the baseline a live value must differ from to count as drift.
  const expected = completeClientMetadata(metadataOfInputs(previous)) as Record<string, unknown>;
  for (const key of clientMetadataInputKeys) {
    const value = liveFields[clientMetadataInputNames[key]];
    const set = previous[key] !== undefined;
    if (
      set ||
      (value !== undefined &&
        JSON.stringify(value) !== JSON.stringify(expected[clientMetadataInputNames[key]]))
    ) {
      inputs[key] = value;
    }
  }
  return inputs as Partial<ClientInputs>;
}
