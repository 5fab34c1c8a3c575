import type { FastifyInstance } from "fastify";
import { nevisMetaEndpoints } from "../../../sdk/endpoints/nevismeta-clients";
import { NEVISMETA_CLIENT_DEFAULTS } from "../../../sdk/schemas/oauth-client-metadata";
import type { ServerContext } from "../../context";
import { effectiveIssuer } from "../../oidc/issuer";
import { registerEndpoint } from "../register-endpoint";
import { assertModule, findSetup } from "./lookups";

/** `/v2/modules/{module}/setups`: each provider of the server is a setup of module `oauthv2`. */
export function registerNevisMetaSetupRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, nevisMetaEndpoints.listSetups, async ({ params }) => {
    assertModule(params.module);
    const providers = await context.store.listProviders();
    return { setupIds: providers.map((provider) => provider.id) };
  });

  registerEndpoint(app, nevisMetaEndpoints.getSetup, async ({ params }) => {
    const setup = await findSetup(context, params.module, params.setupId);
    const defaults = NEVISMETA_CLIENT_DEFAULTS;
    return {
      setupId: setup.id,
      name: setup.name,
      description: setup.description,
      issuer: await effectiveIssuer(context, setup.id),
      client_defaults: {
        force_reauthentication: defaults.force_reauthentication,
        access_token_ttl: defaults.access_token_ttl,
        refresh_token_ttl: defaults.refresh_token_ttl,
        id_token_ttl: defaults.id_token_ttl,
        persisted_consent_ttl: defaults.persisted_consent_ttl,
        grant_types: [...defaults.grant_types],
      },
    };
  });
}
