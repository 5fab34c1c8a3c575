import type {
  ClientGrant,
  CreateClientGrantRequest,
  UpdateClientGrantRequest,
} from "../../../sdk/schemas/client-grant";
import { sameSet, withoutDuplicates } from "../../shared/check-inputs";
import type { ClientGrantInputs, ClientGrantOutputs } from "./schema";

/**
 * Inputs → `POST /client-grants` body. Optional fields at their API default are left out, as
 * Auth0 rejects some of them on system APIs even at the default value
 * (auth0/terraform-provider-auth0#1466).
 */
export function createBody(inputs: ClientGrantInputs): CreateClientGrantRequest {
  const body: CreateClientGrantRequest = { client_id: inputs.clientId, audience: inputs.audience };
  if (inputs.allowAllScopes) body.allow_all_scopes = true;
  else body.scope = withoutDuplicates(inputs.scopes);
  if (inputs.organizationUsage !== "deny") body.organization_usage = inputs.organizationUsage;
  if (inputs.allowAnyOrganization) body.allow_any_organization = true;
  if (inputs.subjectType !== "client") body.subject_type = inputs.subjectType;
  if (inputs.authorizationDetailsTypes.length > 0) {
    body.authorization_details_types = withoutDuplicates(inputs.authorizationDetailsTypes);
  }
  return body;
}

/** The PATCH that turns `current` into `desired`, or `undefined` when nothing mutable differs. */
export function updateBody(
  current: Pick<ClientGrantOutputs, keyof UpdatableInputs>,
  desired: UpdatableInputs,
): UpdateClientGrantRequest | undefined {
  const body: UpdateClientGrantRequest = {};
  // The declared order is sent (the server keeps what it is sent), so state, server and program
  // list the scopes alike.
  const desiredScopes = desired.allowAllScopes ? [] : withoutDuplicates(desired.scopes);
  if (current.allowAllScopes !== desired.allowAllScopes) {
    body.allow_all_scopes = desired.allowAllScopes;
    // Switching allow-all off must state the scopes in the same request, or the grant would be
    // left with none (auth0/terraform-provider-auth0 does the same in two steps).
    body.scope = desiredScopes;
  } else if (!sameSet(current.scopes, desiredScopes) && !desired.allowAllScopes) {
    body.scope = desiredScopes;
  }
  if (current.organizationUsage !== desired.organizationUsage) {
    body.organization_usage = desired.organizationUsage;
  }
  if (current.allowAnyOrganization !== desired.allowAnyOrganization) {
    body.allow_any_organization = desired.allowAnyOrganization;
  }
  if (!sameSet(current.authorizationDetailsTypes, desired.authorizationDetailsTypes)) {
    body.authorization_details_types = withoutDuplicates(desired.authorizationDetailsTypes);
  }
  return Object.keys(body).length === 0 ? undefined : body;
}

type UpdatableInputs = Pick<
  ClientGrantInputs,
  | "scopes"
  | "allowAllScopes"
  | "organizationUsage"
  | "allowAnyOrganization"
  | "authorizationDetailsTypes"
>;

/**
 * A grant as the API returns it → state. Auth0 omits unset fields, so absent means the default;
 * with `allow_all_scopes` the scope list is omitted too, and reads as empty.
 */
export function grantToOutputs(grant: ClientGrant): ClientGrantOutputs & { id: string } {
  return {
    id: grant.id,
    // Only a `default_for` grant has no client, and resources never create or adopt one.
    clientId: grant.client_id ?? "",
    audience: grant.audience,
    // In the server's order, which is the order last sent; states written by earlier versions
    // hold them sorted, and the set comparison in `diff` makes both read as the same.
    scopes: withoutDuplicates(grant.scope ?? []),
    allowAllScopes: grant.allow_all_scopes ?? false,
    organizationUsage: grant.organization_usage ?? "deny",
    allowAnyOrganization: grant.allow_any_organization ?? false,
    subjectType: grant.subject_type ?? "client",
    authorizationDetailsTypes: withoutDuplicates(grant.authorization_details_types ?? []),
    isSystem: grant.is_system ?? false,
  };
}

/** The inputs a program would have to declare to describe `outputs` (for refresh). */
export function outputsToInputs(outputs: ClientGrantOutputs): Record<string, unknown> {
  return {
    clientId: outputs.clientId,
    audience: outputs.audience,
    scopes: outputs.scopes,
    allowAllScopes: outputs.allowAllScopes,
    organizationUsage: outputs.organizationUsage,
    allowAnyOrganization: outputs.allowAnyOrganization,
    subjectType: outputs.subjectType,
    authorizationDetailsTypes: outputs.authorizationDetailsTypes,
    ...(outputs.clientName === undefined ? {} : { clientName: outputs.clientName }),
  };
}

/** Adds the program's `clientName` (the server does not know it) to what the server returned. */
export function withClientName<T extends object>(
  outputs: T,
  clientName: string | undefined,
): T & { clientName?: string } {
  return clientName === undefined ? outputs : { ...outputs, clientName };
}
