import type {
  Auth0Client,
  CreateAuth0ClientRequest,
  UpdateAuth0ClientRequest,
} from "../../../sdk/schemas/auth0-client";
import type { ClientInputs } from "./schema";

/**
 * What Auth0 fills in for a field the program leaves out. A live value equal to its default is
 * not drift; `app_type` defaults to a machine application, what a `Client` is for.
 */
const AUTH0_DEFAULTS = {
  appType: "non_interactive",
  tokenEndpointAuthMethod: "client_secret_post",
  idTokenTtlSeconds: 36_000,
  isFirstParty: true,
  description: undefined,
  clientMetadata: {},
} as const;

type Auth0InputKey = keyof typeof AUTH0_DEFAULTS | "name" | "grantTypes";

/** An input's value as Auth0 holds it, read from a live application. */
function liveValue(live: Auth0Client, key: Auth0InputKey): unknown {
  switch (key) {
    case "name":
      return live.name;
    case "grantTypes":
      return live.grant_types;
    case "appType":
      return live.app_type;
    case "tokenEndpointAuthMethod":
      return live.token_endpoint_auth_method;
    case "idTokenTtlSeconds":
      return live.jwt_configuration?.lifetime_in_seconds;
    case "isFirstParty":
      return live.is_first_party;
    case "description":
      return live.description;
    case "clientMetadata":
      return live.client_metadata;
  }
}

/** The fields of one input in an Auth0 create or PATCH body. */
function fieldsOf(key: Auth0InputKey, value: unknown): Partial<CreateAuth0ClientRequest> {
  switch (key) {
    case "name":
      return { name: value as string };
    case "grantTypes":
      return { grant_types: value as CreateAuth0ClientRequest["grant_types"] };
    case "appType":
      return { app_type: value as CreateAuth0ClientRequest["app_type"] };
    case "tokenEndpointAuthMethod":
      return {
        token_endpoint_auth_method: value as CreateAuth0ClientRequest["token_endpoint_auth_method"],
      };
    case "idTokenTtlSeconds":
      return { jwt_configuration: { lifetime_in_seconds: value as number } };
    case "isFirstParty":
      return { is_first_party: value as boolean };
    case "description":
      return { description: value as string };
    case "clientMetadata":
      return { client_metadata: value as Record<string, string> };
  }
}

const AUTH0_INPUT_KEYS = [
  "name",
  "grantTypes",
  ...(Object.keys(AUTH0_DEFAULTS) as (keyof typeof AUTH0_DEFAULTS)[]),
] as const satisfies readonly Auth0InputKey[];

/** The value an input stands for: what the program set, else Auth0's default. */
function declared(inputs: Partial<ClientInputs>, key: Auth0InputKey): unknown {
  const value = inputs[key];
  if (value !== undefined) return value;
  return key === "name" || key === "grantTypes" ? undefined : AUTH0_DEFAULTS[key];
}

/** `POST /api/v2/clients`: every field the program sets, and a machine `app_type`. */
export function toAuth0CreateBody(inputs: ClientInputs): CreateAuth0ClientRequest {
  let body: Partial<CreateAuth0ClientRequest> = { app_type: AUTH0_DEFAULTS.appType };
  for (const key of AUTH0_INPUT_KEYS) {
    if (inputs[key] !== undefined) body = { ...body, ...fieldsOf(key, inputs[key]) };
  }
  return body as CreateAuth0ClientRequest;
}

/**
 * `PATCH /api/v2/clients/{id}`: only what differs between the state and the new inputs; an
 * input the program drops goes back to Auth0's default. Undefined when nothing differs.
 */
export function toAuth0PatchBody(
  olds: Partial<ClientInputs>,
  news: Partial<ClientInputs>,
): UpdateAuth0ClientRequest | undefined {
  let body: Partial<UpdateAuth0ClientRequest> = {};
  for (const key of AUTH0_INPUT_KEYS) {
    const before = declared(olds, key);
    const after = declared(news, key);
    if (after !== undefined && JSON.stringify(before) !== JSON.stringify(after)) {
      body = { ...body, ...fieldsOf(key, after) };
    }
  }
  return Object.keys(body).length === 0 ? undefined : (body as UpdateAuth0ClientRequest);
}

/**
 * The inputs a live application corresponds to, for refresh: a field the program sets is always
 * read back; one it leaves out only when its live value is not Auth0's default, so an
 * out-of-band change shows as drift and an untouched default does not. `secretVersion` is the
 * program's own counter; Auth0 has no such field.
 */
export function inputsOfAuth0Client(
  live: Auth0Client,
  previous: Partial<ClientInputs>,
): Partial<ClientInputs> {
  const inputs: Record<string, unknown> = { providerId: previous.providerId };
  for (const key of AUTH0_INPUT_KEYS) {
    const value = liveValue(live, key);
    if (value === undefined) continue;
    const isDefault =
      key !== "name" &&
      key !== "grantTypes" &&
      JSON.stringify(value) === JSON.stringify(AUTH0_DEFAULTS[key]);
    if (previous[key] !== undefined || !isDefault) inputs[key] = value;
  }
  if (previous.secretVersion !== undefined) inputs.secretVersion = previous.secretVersion;
  return inputs as Partial<ClientInputs>;
}
