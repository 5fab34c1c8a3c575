import { createGrantsClient } from "../sdk/index";
import type { GrantsClient } from "../sdk/index";
import type { AccessEntry } from "./access-entry";
import { accessEntry } from "./access-entry";
import { grantsKind } from "./preview-json";

/** Where the live APIs are: the provider's own environment variables. */
export interface LiveSettings {
  readonly apiUrl: string;
  readonly apiToken: string;
  readonly managementApiUrl?: string;
  readonly managementApiToken?: string;
}

/**
 * Who may call what on the live server, through the sdk: every client grant of the management
 * API, with client names from the useGrant API (ids where that API is not there, as on Auth0).
 */
export async function accessFromServer(settings: LiveSettings): Promise<AccessEntry[]> {
  const client = createGrantsClient({
    apiUrl: settings.apiUrl,
    apiToken: settings.apiToken,
    ...(settings.managementApiUrl === undefined
      ? {}
      : { managementApiUrl: settings.managementApiUrl }),
    ...(settings.managementApiToken === undefined
      ? {}
      : { managementApiToken: settings.managementApiToken }),
  });
  try {
    const names = await clientNames(client);
    const entries: AccessEntry[] = [];
    for await (const grant of client.clientGrants.list()) {
      if (grant.client_id === undefined || grant.client_id === null) continue; // a default_for grant
      entries.push(
        accessEntry({
          clientId: grant.client_id,
          clientName: names.get(grant.client_id),
          audience: grant.audience,
          scopes: grant.scope ?? [],
          allowAllScopes: grant.allow_all_scopes ?? false,
          subjectType: grant.subject_type ?? undefined,
        }),
      );
    }
    return entries;
  } finally {
    await client.close();
  }
}

async function clientNames(client: GrantsClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const provider of await client.providers.list()) {
    for (const app of await client.clients.list(provider.id)) names.set(app.id, app.name);
  }
  return names;
}

interface ExportedResource {
  readonly type?: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** Who may call what according to `pulumi stack export` JSON (the state as last applied). */
export function accessFromExport(exported: unknown): AccessEntry[] {
  const resources = (exported as { deployment?: { resources?: ExportedResource[] } })?.deployment
    ?.resources;
  if (!Array.isArray(resources)) {
    throw new TypeError("not the JSON of `pulumi stack export`: no deployment.resources");
  }
  const names = new Map<string, string>();
  for (const resource of resources) {
    const name = resource.outputs?.name;
    if (grantsKind(resource.type ?? "") === "Client" && resource.id && typeof name === "string") {
      names.set(resource.id, name);
    }
  }
  return resources
    .filter((resource) => grantsKind(resource.type ?? "") === "ClientGrant")
    .map((resource) => {
      const outputs = resource.outputs ?? {};
      const clientId = String(outputs.clientId);
      const declared = typeof outputs.clientName === "string" ? outputs.clientName : undefined;
      return accessEntry({
        clientId,
        clientName: names.get(clientId) ?? declared,
        audience: String(outputs.audience),
        scopes: Array.isArray(outputs.scopes) ? (outputs.scopes as string[]) : [],
        allowAllScopes: outputs.allowAllScopes === true,
        subjectType: typeof outputs.subjectType === "string" ? outputs.subjectType : undefined,
      });
    });
}
