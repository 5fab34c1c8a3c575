import type { FastifyInstance } from "fastify";
import { providerEndpoints } from "../../../sdk/endpoints/providers";
import type { Provider } from "../../../sdk/schemas/provider";
import type { ServerContext } from "../../context";
import { isoNow } from "../../context";
import { generateSigningKey } from "../../keys/generate-signing-key";
import { effectiveIssuer } from "../../oidc/issuer";
import { newResourceId } from "../../secrets";
import type { ProviderRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";
import { findProvider } from "./lookups";

/** `/v1/providers`: OIDC issuers, each with its own signing key. */
export function registerProviderRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, providerEndpoints.create, async ({ body }) => {
    const now = isoNow(context);
    const id = newResourceId();
    const algorithm = body.signingAlgorithm ?? "RS256";
    const key = await generateSigningKey({
      providerId: id,
      algorithm,
      masterKey: context.masterKey,
      createdAt: now,
    });
    const provider: ProviderRecord = {
      id,
      name: body.name,
      description: body.description,
      signingAlgorithm: algorithm,
      createdAt: now,
      updatedAt: now,
    };
    await context.store.createProvider(provider, key);
    return presentProvider(context, provider);
  });

  registerEndpoint(app, providerEndpoints.list, async () => {
    const providers = await context.store.listProviders();
    return Promise.all(providers.map((provider) => presentProvider(context, provider)));
  });

  registerEndpoint(app, providerEndpoints.get, async ({ params }) =>
    presentProvider(context, await findProvider(context, params.providerId)),
  );

  registerEndpoint(app, providerEndpoints.delete, async ({ params }) => {
    const provider = await findProvider(context, params.providerId);
    await context.store.deleteProvider(provider.id);
    context.keys.forget(provider.id);
  });
}

async function presentProvider(
  context: ServerContext,
  provider: ProviderRecord,
): Promise<Provider> {
  const issuer = await effectiveIssuer(context, provider.id);
  return {
    id: provider.id,
    name: provider.name,
    description: provider.description,
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}/.well-known/jwks`,
    signingAlgorithm: provider.signingAlgorithm,
    createdAt: provider.createdAt,
    updatedAt: provider.updatedAt,
  };
}
