import type { FastifyInstance } from "fastify";
import { clientEndpoints } from "../../../sdk/endpoints/clients";
import type { Client } from "../../../sdk/schemas/client";
import { USEGRANT_CLIENT_METADATA } from "../../../sdk/schemas/oauth-client-metadata";
import type { ServerContext } from "../../context";
import { isoNow } from "../../context";
import { notFound } from "../../errors";
import { hashSecret, newClientSecret, newResourceId, newSubject } from "../../secrets";
import type { ClientRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";
import { findClient, findProvider } from "./lookups";

/** `/v1/providers/{providerId}/clients`: machine clients; the secret is shown once, at creation. */
export function registerClientRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, clientEndpoints.create, async ({ params, body }) => {
    const provider = await findProvider(context, params.providerId);
    const now = isoNow(context);
    const clientSecret = newClientSecret();
    const id = newResourceId();
    const client: ClientRecord = {
      id,
      // The useGrant API knows one id: it is also the OAuth client_id.
      clientId: id,
      providerId: provider.id,
      name: body.name,
      audience: body.audience,
      subject: newSubject(),
      secretHash: hashSecret(clientSecret),
      metadata: USEGRANT_CLIENT_METADATA,
      createdAt: now,
      updatedAt: now,
    };
    // A fresh UUID cannot collide with a client_id, so the only failure is a vanished provider.
    if ((await context.store.createClient(client)) !== "created") {
      throw notFound("inexistent_provider", "Provider not found");
    }
    return { ...presentClient(client), clientSecret };
  });

  registerEndpoint(app, clientEndpoints.list, async ({ params }) => {
    const provider = await findProvider(context, params.providerId);
    return (await context.store.listClients(provider.id)).map(presentClient);
  });

  registerEndpoint(app, clientEndpoints.get, async ({ params }) => {
    const { client } = await findClient(context, params.providerId, params.clientId);
    return presentClient(client);
  });

  registerEndpoint(app, clientEndpoints.delete, async ({ params }) => {
    const { client } = await findClient(context, params.providerId, params.clientId);
    await context.store.deleteClient(client.id);
  });
}

function presentClient(client: ClientRecord): Client {
  return {
    id: client.id,
    name: client.name,
    audience: client.audience,
    subject: client.subject,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
  };
}
