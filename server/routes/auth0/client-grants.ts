import type { FastifyInstance } from "fastify";
import { clientGrantEndpoints } from "../../../sdk/endpoints/client-grants";
import type { ClientGrant, UpdateClientGrantRequest } from "../../../sdk/schemas/client-grant";
import type { ServerContext } from "../../context";
import { ApiError, notFound } from "../../errors";
import { CLIENT_GRANT_ID_PATTERN, newClientGrantId } from "../../secrets";
import { InvalidCursorError } from "../../store/store";
import type { ClientGrantFilter, ClientGrantRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";

/** Auth0's default page size for both paging styles. */
const DEFAULT_PAGE_SIZE = 50;

/**
 * `/api/v2/client-grants` in the Auth0 Management API dialect. A grant is the ceiling of what a
 * client may obtain from the token endpoint; `client_id` is a grant-server client id.
 */
export function registerClientGrantRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, clientGrantEndpoints.create, async ({ body }) => {
    const grant: ClientGrantRecord = {
      id: newClientGrantId(),
      clientId: body.client_id,
      audience: body.audience,
    };
    if (body.scope !== undefined) grant.scope = body.scope;
    if (body.organization_usage !== undefined) grant.organizationUsage = body.organization_usage;
    if (body.allow_any_organization !== undefined) {
      grant.allowAnyOrganization = body.allow_any_organization;
    }
    if (body.subject_type !== undefined) grant.subjectType = body.subject_type;
    if (body.authorization_details_types !== undefined) {
      grant.authorizationDetailsTypes = body.authorization_details_types;
    }
    if (body.allow_all_scopes !== undefined) grant.allowAllScopes = body.allow_all_scopes;

    const outcome = await context.store.createClientGrant(grant);
    if (outcome === "inexistent_client") {
      throw notFound("inexistent_client", "The client does not exist");
    }
    if (outcome === "conflict") {
      // The wording Auth0 uses; tools (and people) search for it.
      throw new ApiError(
        409,
        "conflict",
        `A client grant already exists between ${grant.clientId} and ${grant.audience}`,
      );
    }
    return presentClientGrant(grant);
  });

  registerEndpoint(app, clientGrantEndpoints.list, async ({ query }) => {
    const filter: ClientGrantFilter = {};
    if (query.audience !== undefined) filter.audience = query.audience;
    if (query.client_id !== undefined) filter.clientId = query.client_id;
    if (query.allow_any_organization !== undefined) {
      filter.allowAnyOrganization = query.allow_any_organization;
    }
    if (query.subject_type !== undefined) filter.subjectType = query.subject_type;

    const checkpoint = query.from !== undefined || query.take !== undefined;
    const offset = query.page !== undefined || query.per_page !== undefined;
    if (checkpoint && offset) {
      throw new ApiError(
        400,
        "invalid_query_string",
        "from, take: checkpoint paging cannot be combined with page or per_page",
      );
    }
    // The auth0 v7 SDK sends include_totals=true with take; it reads only client_grants and next,
    // so take (checkpoint paging) wins and the checkpoint envelope is answered.
    if (checkpoint) {
      const limit = query.take ?? DEFAULT_PAGE_SIZE;
      const listing = await context.store
        .listClientGrants(filter, { kind: "after", after: query.from, limit })
        .catch((error: unknown) => {
          if (error instanceof InvalidCursorError) {
            throw new ApiError(400, "invalid_query_string", error.message);
          }
          throw error;
        });
      const page: { client_grants: ClientGrant[]; next?: string } = {
        client_grants: listing.grants.map(presentClientGrant),
      };
      if (listing.next !== undefined) page.next = listing.next;
      return page;
    }
    if (query.include_totals === true || offset) {
      const limit = query.per_page ?? DEFAULT_PAGE_SIZE;
      const start = (query.page ?? 0) * limit;
      const listing = await context.store.listClientGrants(filter, {
        kind: "offset",
        offset: start,
        limit,
      });
      const grants = listing.grants.map(presentClientGrant);
      if (query.include_totals !== true) return grants;
      const total = await context.store.countClientGrants(filter);
      return { total, start, limit, client_grants: grants };
    }
    // Auth0: "paging is disabled if the parameter is not sent".
    const listing = await context.store.listClientGrants(filter, { kind: "all" });
    return listing.grants.map(presentClientGrant);
  });

  registerEndpoint(app, clientGrantEndpoints.get, async ({ params }) =>
    presentClientGrant(await findClientGrant(context, params.id)),
  );

  registerEndpoint(app, clientGrantEndpoints.update, async ({ params, body }) => {
    const id = checkedId(params.id);
    const updated = await context.store.updateClientGrant(id, (current) =>
      applyPatch(current, body),
    );
    if (!updated) throw grantNotFound();
    return presentClientGrant(updated);
  });

  registerEndpoint(app, clientGrantEndpoints.delete, async ({ params }) => {
    const id = checkedId(params.id);
    if (!(await context.store.deleteClientGrant(id))) throw grantNotFound();
  });
}

async function findClientGrant(
  context: ServerContext,
  id: string | undefined,
): Promise<ClientGrantRecord> {
  const grant = await context.store.getClientGrant(checkedId(id));
  if (!grant) throw grantNotFound();
  return grant;
}

// Auth0 validates path parameters and answers 400 invalid_uri for a malformed id.
function checkedId(id: string | undefined): string {
  if (id === undefined || !CLIENT_GRANT_ID_PATTERN.test(id)) {
    throw new ApiError(400, "invalid_uri", "id: must be cgr_ followed by 16 letters or digits");
  }
  return id;
}

function grantNotFound(): ApiError {
  return notFound("inexistent_client_grant", "The client grant does not exist");
}

/** PATCH merge: a present field replaces (a whole array included), `null` unsets. */
function applyPatch(
  current: ClientGrantRecord,
  patch: UpdateClientGrantRequest,
): ClientGrantRecord {
  const next: ClientGrantRecord = { ...current };
  if (patch.scope !== undefined) {
    if (patch.scope === null) delete next.scope;
    else next.scope = patch.scope;
  }
  if (patch.organization_usage !== undefined) {
    if (patch.organization_usage === null) delete next.organizationUsage;
    else next.organizationUsage = patch.organization_usage;
  }
  if (patch.allow_any_organization !== undefined) {
    if (patch.allow_any_organization === null) delete next.allowAnyOrganization;
    else next.allowAnyOrganization = patch.allow_any_organization;
  }
  if (patch.authorization_details_types !== undefined) {
    next.authorizationDetailsTypes = patch.authorization_details_types;
  }
  if (patch.allow_all_scopes !== undefined) {
    if (patch.allow_all_scopes === null) delete next.allowAllScopes;
    else next.allowAllScopes = patch.allow_all_scopes;
  }
  // The body alone may be fine while the merged grant is not (allow_all_scopes on a grant that
  // keeps its scopes); thrown inside the store's transaction, so nothing is written.
  if (next.allowAllScopes === true && next.scope !== undefined && next.scope.length > 0) {
    throw new ApiError(
      400,
      "invalid_body",
      "scope: `scope` must be empty when `allow_all_scopes` is true",
    );
  }
  return next;
}

/** The wire form: snake_case, and a field the caller never set is left out (as Auth0 does). */
function presentClientGrant(grant: ClientGrantRecord): ClientGrant {
  const wire: ClientGrant = { id: grant.id, client_id: grant.clientId, audience: grant.audience };
  if (grant.scope !== undefined) wire.scope = grant.scope;
  if (grant.organizationUsage !== undefined) wire.organization_usage = grant.organizationUsage;
  if (grant.allowAnyOrganization !== undefined) {
    wire.allow_any_organization = grant.allowAnyOrganization;
  }
  if (grant.subjectType !== undefined) wire.subject_type = grant.subjectType;
  if (grant.authorizationDetailsTypes !== undefined) {
    wire.authorization_details_types = grant.authorizationDetailsTypes;
  }
  if (grant.allowAllScopes !== undefined) wire.allow_all_scopes = grant.allowAllScopes;
  return wire;
}
