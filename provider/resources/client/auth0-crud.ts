import type * as pulumi from "@pulumi/pulumi";
import { GRANTS_NOT_FOUND, isGrantsError } from "../../../sdk/index";
import type { ManagementSettings } from "../../shared/api-settings";
import { resolveManagementSettings, settingsOrThrow } from "../../shared/api-settings";
import { withManagementClient } from "../../shared/grants-client";
import type { GrantsClient } from "../../shared/grants-client";
import { reportingFailures } from "../../shared/failure-message";
import { droppedIfGone } from "../../shared/gone-on-refresh";
import { tenantOf } from "../provider/tenant";
import { inputsOfAuth0Client, toAuth0CreateBody, toAuth0PatchBody } from "./auth0-mapping";
import type { CheckedClientInputs, ClientInputs, ClientOutputs } from "./schema";

function management<T>(
  use: (client: GrantsClient, settings: ManagementSettings) => Promise<T>,
): Promise<T> {
  const settings = settingsOrThrow(resolveManagementSettings());
  return withManagementClient(settings, (client) => use(client, settings));
}

/** Outputs without the inputs that are unset (state keeps no `undefined` keys). */
function outputsOf(base: ClientOutputs, inputs: Partial<ClientInputs>): ClientOutputs {
  const outs: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(inputs)) if (value !== undefined) outs[key] = value;
  return outs as ClientOutputs;
}

/**
 * `grants:Client` on `grants:backend auth0`: an application of the tenant
 * (`/api/v2/clients`), whose `client_id` is the resource id. Its tokens come from the tenant's
 * `/oauth/token`, so `issuer` is the tenant. PATCH changes every field in place; a new
 * `secretVersion` calls rotate-secret, the only answer besides create that shows a secret.
 */
// Reported here as a Management API failure, so a message names the management settings; the
// Client's own wrapper passes an already reported failure through.
export const auth0ClientImplementation = reportingFailures("grants:Client", "management", {
  async create(inputs: CheckedClientInputs): Promise<pulumi.dynamic.CreateResult<ClientOutputs>> {
    return management(async (client, settings) => {
      const created = await client.auth0Clients.create(toAuth0CreateBody(inputs));
      const tenant = tenantOf(settings);
      const outs = outputsOf(
        {
          providerId: inputs.providerId,
          name: created.name,
          backend: "auth0",
          issuer: tenant.issuer,
          tokenEndpoint: tenant.tokenEndpoint,
          ...(created.client_secret === undefined ? {} : { clientSecret: created.client_secret }),
        },
        { ...inputs, backend: undefined } as Partial<ClientInputs>,
      );
      return { id: created.client_id, outs };
    });
  },

  async read(id: string, props: ClientOutputs): Promise<pulumi.dynamic.ReadResult<ClientOutputs>> {
    return management(async (client, settings) => {
      try {
        const live = await client.auth0Clients.get(id);
        const inputs = inputsOfAuth0Client(live, props);
        const tenant = tenantOf(settings);
        const outs = outputsOf(
          {
            providerId: props.providerId,
            name: live.name,
            backend: "auth0",
            issuer: tenant.issuer,
            tokenEndpoint: tenant.tokenEndpoint,
            // Auth0 shows the secret only at creation and rotation; keep what state has.
            ...(props.clientSecret === undefined ? {} : { clientSecret: props.clientSecret }),
          },
          inputs,
        );
        return { id, props: outs, inputs: { ...inputs, backend: "auth0" } as ClientInputs };
      } catch (error) {
        return droppedIfGone(
          error,
          `grants:Client ${id} (${props.name})`,
          "in the Auth0 tenant",
          "the next `pulumi up` creates it again (with a new client id and secret)",
        );
      }
    });
  },

  async update(
    id: string,
    olds: ClientOutputs,
    news: CheckedClientInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ClientOutputs>> {
    return management(async (client) => {
      try {
        const patch = toAuth0PatchBody(olds, news);
        let live = patch === undefined ? undefined : await client.auth0Clients.update(id, patch);
        let clientSecret = olds.clientSecret;
        // Rotation after the PATCH: should it fail, the PATCH stands (the next refresh reads
        // it) and the state keeps the secret that still works.
        if (news.secretVersion !== olds.secretVersion) {
          live = await client.auth0Clients.rotateSecret(id);
          clientSecret = live.client_secret ?? clientSecret;
        }
        const base: ClientOutputs = {
          providerId: olds.providerId,
          name: live?.name ?? news.name,
          backend: "auth0",
          issuer: olds.issuer,
          tokenEndpoint: olds.tokenEndpoint,
          ...(clientSecret === undefined ? {} : { clientSecret }),
        };
        return { outs: outputsOf(base, { ...news, backend: undefined } as Partial<ClientInputs>) };
      } catch (error) {
        // Recreating it here would hide the drift; refresh drops it, then `up` creates it.
        if (isGrantsError(error, GRANTS_NOT_FOUND)) {
          throw new Error(
            `grants:Client ${id} no longer exists in the Auth0 tenant; run \`pulumi refresh\` ` +
              "to drop it from the state, then `pulumi up` to create it again.",
            { cause: error },
          );
        }
        throw error;
      }
    });
  },

  async delete(id: string, _props: ClientOutputs): Promise<void> {
    await management(async (client) => {
      try {
        await client.auth0Clients.delete(id);
      } catch (error) {
        // Already gone is what delete wants.
        if (!isGrantsError(error, GRANTS_NOT_FOUND)) throw error;
      }
    });
  },
});
