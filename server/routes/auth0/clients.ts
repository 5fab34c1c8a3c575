import type { FastifyInstance } from "fastify";
import { auth0ClientEndpoints } from "../../../sdk/endpoints/auth0-clients";
import type { Auth0Client, Auth0ClientListItem } from "../../../sdk/schemas/auth0-client";
import type { ServerContext } from "../../context";
import { isoNow } from "../../context";
import { ApiError, notFound } from "../../errors";
import { hashSecret, isResourceId, newClientSecret, newResourceId } from "../../secrets";
import type { ClientRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";
import { applicationMetadata, patchedApplication, presentApplication } from "./application";

/** Auth0's page size when `include_totals` asks for an envelope without `per_page`. */
const DEFAULT_PAGE_SIZE = 50;

/**
 * `/api/v2/clients` in the Auth0 Management API dialect: the tenant's applications. They are
 * clients of the tenant provider (server/tenant/tenant-keys.ts) in the one client model, so the
 * tenant's `/oauth/token` (and `/p/<tenant>/oauth/token`) issues their tokens like any client's,
 * bounded by their client grants. `client_id` is the id in paths and in `/client-grants`.
 */
export function registerAuth0ClientRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, auth0ClientEndpoints.create, async ({ body }) => {
    const metadata = await applicationMetadata(body);
    const secret = newClientSecret();
    const now = isoNow(context);
    const id = newResourceId();
    const record = (providerId: string): ClientRecord => ({
      id,
      clientId: id,
      providerId,
      name: body.name,
      audience: "",
      // Auth0's subject of a client_credentials token.
      subject: `${id}@clients`,
      secretHash: hashSecret(secret),
      metadata,
      createdAt: now,
      updatedAt: now,
    });
    let client = record((await context.tenantKeys.provider()).id);
    let outcome = await context.store.createClient(client);
    // The tenant was deleted meanwhile (through the useGrant dialect): the next one is made.
    if (outcome === "inexistent_provider") {
      client = record((await context.tenantKeys.provider()).id);
      outcome = await context.store.createClient(client);
    }
    if (outcome !== "created") {
      throw new ApiError(409, "conflict", "client_id: is already registered");
    }
    return withSecret(presentApplication(client), client, secret);
  });

  registerEndpoint(app, auth0ClientEndpoints.list, async ({ query }) => {
    const tenant = await context.tenantKeys.current();
    const types = query.app_type?.split(",");
    const matching = (tenant === undefined ? [] : await context.store.listClients(tenant.id))
      .map(presentApplication)
      .filter(
        (application) =>
          (types === undefined ||
            (application.app_type !== undefined && types.includes(application.app_type))) &&
          (query.is_first_party === undefined ||
            application.is_first_party === query.is_first_party) &&
          (query.is_global === undefined || application.global === query.is_global),
      );
    const project = projection(query.fields, query.include_fields ?? true);
    const paged = query.page !== undefined || query.per_page !== undefined;
    if (!paged && query.include_totals !== true) return matching.map(project);
    const limit = query.per_page ?? DEFAULT_PAGE_SIZE;
    const start = (query.page ?? 0) * limit;
    const clients = matching.slice(start, start + limit).map(project);
    if (query.include_totals !== true) return clients;
    return { start, limit, total: matching.length, clients };
  });

  registerEndpoint(app, auth0ClientEndpoints.get, async ({ params }) =>
    presentApplication(await findApplication(context, params.id)),
  );

  registerEndpoint(app, auth0ClientEndpoints.update, async ({ params, body }) => {
    const current = await findApplication(context, params.id);
    const patched = await patchedApplication(current, body);
    const next: ClientRecord = {
      ...patched,
      secretHash:
        body.client_secret === undefined ? current.secretHash : hashSecret(body.client_secret),
      updatedAt: isoNow(context),
    };
    const outcome = await context.store.replaceClient(next);
    if (outcome !== "replaced") throw applicationNotFound();
    return presentApplication(next);
  });

  registerEndpoint(app, auth0ClientEndpoints.delete, async ({ params }) => {
    const client = await findApplication(context, params.id);
    if (!(await context.store.deleteClient(client.id))) throw applicationNotFound();
  });

  registerEndpoint(app, auth0ClientEndpoints.rotateSecret, async ({ params }) => {
    const current = await findApplication(context, params.id);
    if (current.metadata.token_endpoint_auth_method === "private_key_jwt") {
      throw new ApiError(
        400,
        "operation_not_supported",
        "id: the application authenticates with private_key_jwt; it has no secret to rotate",
      );
    }
    const secret = newClientSecret();
    const next: ClientRecord = {
      ...current,
      secretHash: hashSecret(secret),
      updatedAt: isoNow(context),
    };
    if ((await context.store.replaceClient(next)) !== "replaced") throw applicationNotFound();
    return withSecret(presentApplication(next), next, secret);
  });
}

/** A client of the tenant, by id; clients of other providers are not the tenant's (404). */
async function findApplication(
  context: ServerContext,
  id: string | undefined,
): Promise<ClientRecord> {
  const client =
    id !== undefined && isResourceId(id) ? await context.store.getClient(id) : undefined;
  if (!client || client.providerId !== (await context.tenantKeys.current())?.id) {
    throw applicationNotFound();
  }
  return client;
}

function applicationNotFound(): ApiError {
  return notFound("inexistent_client", "The client does not exist");
}

// A private_key_jwt application has a secret (the model requires one) that it cannot use, so
// it is never shown.
function withSecret(wire: Auth0Client, client: ClientRecord, secret: string): Auth0Client {
  return client.metadata.token_endpoint_auth_method === "private_key_jwt"
    ? wire
    : { ...wire, client_secret: secret };
}

/** `fields` + `include_fields`: only the named fields, or every field but them. */
function projection(
  fields: string | undefined,
  include: boolean,
): (application: Auth0Client) => Auth0ClientListItem {
  if (fields === undefined) return (application) => application;
  const names = new Set(fields.split(","));
  return (application) =>
    Object.fromEntries(
      Object.entries(application).filter(([name]) => names.has(name) === include),
    ) as Auth0ClientListItem;
}
