import type { FastifyInstance } from "fastify";
import { nevisMetaEndpoints } from "../../../sdk/endpoints/nevismeta-clients";
import type {
  NevisMetaClient,
  NevisMetaClientListQuery,
  NevisMetaClientRequest,
} from "../../../sdk/schemas/nevismeta-client";
import { completeClientMetadata } from "../../../sdk/schemas/oauth-client-metadata";
import type { ServerContext } from "../../context";
import { isoNow } from "../../context";
import { ApiError, notFound } from "../../errors";
import { hashSecret, newClientSecret, newResourceId, newSubject } from "../../secrets";
import type { ClientRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";
import { findSetup, findSetupClient } from "./lookups";

/**
 * `/v2/modules/{module}/setups/{setupId}/clients`: nevisMeta's `OAuthV2ClientType` over the one
 * client model. The internal id (`clientId` in paths and answers) is the management id every
 * dialect shares; `client_id` is the OAuth one. A generated secret is shown once, at creation.
 */
export function registerNevisMetaClientRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, nevisMetaEndpoints.createClient, async ({ params, body }) => {
    const setup = await findSetup(context, params.module, params.setupId);
    const now = isoNow(context);
    const id = newResourceId();
    const secret = body.client_secret ?? newClientSecret();
    const client: ClientRecord = {
      id,
      clientId: body.client_id ?? id,
      providerId: setup.id,
      name: body.name,
      audience: "",
      subject: newSubject(),
      secretHash: hashSecret(secret),
      metadata: completeClientMetadata(metadataOf(body)),
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await context.store.createClient(client);
    if (outcome === "inexistent_provider")
      throw notFound("inexistent_setup", "setupId: no such setup");
    if (outcome === "conflict") throw clientIdTaken();
    return {
      clientId: client.id,
      client_id: client.clientId,
      // A secret the caller chose is not echoed: it already has it.
      ...(body.client_secret === undefined ? { client_secret: secret } : {}),
    };
  });

  registerEndpoint(app, nevisMetaEndpoints.listClients, async ({ params, query }) => {
    const setup = await findSetup(context, params.module, params.setupId);
    const clients = await context.store.listClients(setup.id);
    return { clientIds: clients.filter((client) => matches(client, query)).map((c) => c.id) };
  });

  registerEndpoint(app, nevisMetaEndpoints.getClient, async ({ params }) => {
    const { client } = await findSetupClient(context, params);
    return presentNevisMetaClient(client);
  });

  registerEndpoint(app, nevisMetaEndpoints.replaceClient, async ({ params, body }) => {
    const { client } = await findSetupClient(context, params);
    // PUT replaces the definition; the credentials are kept unless the body names new ones.
    const next: ClientRecord = {
      ...client,
      clientId: body.client_id ?? client.clientId,
      name: body.name,
      secretHash:
        body.client_secret === undefined ? client.secretHash : hashSecret(body.client_secret),
      metadata: completeClientMetadata(metadataOf(body)),
      updatedAt: isoNow(context),
    };
    const outcome = await context.store.replaceClient(next);
    if (outcome === "inexistent_client") {
      throw notFound("inexistent_client", "clientId: no such client in this setup");
    }
    if (outcome === "conflict") throw clientIdTaken();
    return presentNevisMetaClient(next);
  });

  registerEndpoint(app, nevisMetaEndpoints.deleteClient, async ({ params }) => {
    const { client } = await findSetupClient(context, params);
    await context.store.deleteClient(client.id);
  });
}

function metadataOf(body: NevisMetaClientRequest) {
  const { name: _name, client_id: _id, client_secret: _secret, ...metadata } = body;
  return metadata;
}

function clientIdTaken(): ApiError {
  return new ApiError(409, "conflict", "client_id: is already registered", {
    fields: [{ field: "client_id", message: "is already registered" }],
  });
}

/** The nevisMeta view of any client of the server (useGrant-created ones included). */
export function presentNevisMetaClient(client: ClientRecord): NevisMetaClient {
  return { name: client.name, client_id: client.clientId, ...client.metadata };
}

function matches(client: ClientRecord, query: NevisMetaClientListQuery): boolean {
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (key === "name") {
      if (client.name !== value) return false;
    } else if (key === "owner") {
      if (client.metadata.owner !== value) return false;
    } else {
      const name = key.slice("metadata.".length);
      if (!client.metadata.metadata.some((entry) => entry.name === name && entry.value === value)) {
        return false;
      }
    }
  }
  return true;
}
