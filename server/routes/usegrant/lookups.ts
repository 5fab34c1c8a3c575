import type { ServerContext } from "../../context";
import { notFound } from "../../errors";
import { isResourceId } from "../../secrets";
import type { ClientRecord, DomainRecord, ProviderRecord } from "../../store/store";

// A malformed id names nothing, so it is a 404 like an unknown one: IaC tools read 404 as
// "gone" on refresh, and the store is never asked about a value that cannot exist.

export async function findProvider(
  context: ServerContext,
  providerId: string | undefined,
): Promise<ProviderRecord> {
  const provider =
    providerId !== undefined && isResourceId(providerId)
      ? await context.store.getProvider(providerId)
      : undefined;
  if (!provider) throw notFound("inexistent_provider", "Provider not found");
  return provider;
}

/** A client of the given provider; a client of another provider is not found here. */
export async function findClient(
  context: ServerContext,
  providerId: string | undefined,
  clientId: string | undefined,
): Promise<{ provider: ProviderRecord; client: ClientRecord }> {
  const provider = await findProvider(context, providerId);
  const client =
    clientId !== undefined && isResourceId(clientId)
      ? await context.store.getClient(clientId)
      : undefined;
  if (!client || client.providerId !== provider.id) {
    throw notFound("inexistent_client", "Client not found");
  }
  return { provider, client };
}

/** A custom domain of the given provider. */
export async function findDomain(
  context: ServerContext,
  providerId: string | undefined,
  domainId: string | undefined,
): Promise<{ provider: ProviderRecord; domain: DomainRecord }> {
  const provider = await findProvider(context, providerId);
  const domain =
    domainId !== undefined && isResourceId(domainId)
      ? await context.store.getDomain(domainId)
      : undefined;
  if (!domain || domain.providerId !== provider.id) {
    throw notFound("inexistent_domain", "Domain not found");
  }
  return { provider, domain };
}
