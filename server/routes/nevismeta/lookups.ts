import type { ServerContext } from "../../context";
import { notFound } from "../../errors";
import { isResourceId } from "../../secrets";
import type { ClientRecord, ProviderRecord } from "../../store/store";

/** The one nevisMeta module the server has: OAuth 2.0 / OIDC. */
export const NEVISMETA_MODULE = "oauthv2";

/** Checks the module path segment; any other module is unknown (404). */
export function assertModule(module: string | undefined): void {
  if (module !== NEVISMETA_MODULE) {
    throw notFound("inexistent_module", `module: only ${NEVISMETA_MODULE} exists`);
  }
}

/** The setup of a path: a provider of the server, by id. */
export async function findSetup(
  context: ServerContext,
  module: string | undefined,
  setupId: string | undefined,
): Promise<ProviderRecord> {
  assertModule(module);
  const provider =
    setupId !== undefined && isResourceId(setupId)
      ? await context.store.getProvider(setupId)
      : undefined;
  if (!provider) throw notFound("inexistent_setup", "setupId: no such setup");
  return provider;
}

/** A client of the setup, by its internal (management) id. */
export async function findSetupClient(
  context: ServerContext,
  params: Readonly<Record<string, string>>,
): Promise<{ setup: ProviderRecord; client: ClientRecord }> {
  const setup = await findSetup(context, params.module, params.setupId);
  const id = params.clientId;
  const client =
    id !== undefined && isResourceId(id) ? await context.store.getClient(id) : undefined;
  if (!client || client.providerId !== setup.id) {
    throw notFound("inexistent_client", "clientId: no such client in this setup");
  }
  return { setup, client };
}
