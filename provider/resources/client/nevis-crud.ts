import type * as pulumi from "@pulumi/pulumi";
import { GRANTS_NOT_FOUND, isGrantsError } from "../../../sdk/index";
import { settingsOrThrow, resolveNevisMetaSettings } from "../../shared/api-settings";
import { withNevisMetaClient } from "../../shared/grants-client";
import { droppedIfGone } from "../../shared/gone-on-refresh";
import { inputsOfNevisMetaClient, toNevisMetaBody } from "./mapping";
import type { CheckedClientInputs, ClientInputs, ClientOutputs } from "./schema";

function nevisMeta<T>(use: Parameters<typeof withNevisMetaClient<T>>[1]): Promise<T> {
  return withNevisMetaClient(settingsOrThrow(resolveNevisMetaSettings()), use);
}

function tokenEndpointOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/oauth/token`;
}

/** Outputs without the inputs that are unset (state keeps no `undefined` keys). */
function outputsOf(base: ClientOutputs, inputs: Partial<ClientInputs>): ClientOutputs {
  const outs: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(inputs)) if (value !== undefined) outs[key] = value;
  return outs as ClientOutputs;
}

/**
 * `grants:Client` on `grants:backend nevis`: a nevisMeta client of the setup `providerId`
 * (`/v2/modules/oauthv2/setups/{setupId}/clients`). Its id is nevisMeta's internal id, which
 * is also its OAuth `client_id` (the server generates both). PUT replaces the definition in
 * place, keeping id and secret.
 */
export const nevisClientImplementation = {
  async create(inputs: CheckedClientInputs): Promise<pulumi.dynamic.CreateResult<ClientOutputs>> {
    return nevisMeta(async (client) => {
      // The setup first: it gives the issuer, and a missing setup fails before anything exists.
      const setup = await client.nevisMeta.getSetup(inputs.providerId);
      const created = await client.nevisMeta.clients.create(
        inputs.providerId,
        toNevisMetaBody(inputs),
      );
      const base: ClientOutputs = {
        providerId: inputs.providerId,
        name: inputs.name,
        backend: "nevis",
        issuer: setup.issuer,
        tokenEndpoint: tokenEndpointOf(setup.issuer),
        clientSecret: created.client_secret,
      };
      return { id: created.clientId, outs: outputsOf(base, inputs) };
    });
  },

  async read(id: string, props: ClientOutputs): Promise<pulumi.dynamic.ReadResult<ClientOutputs>> {
    return nevisMeta(async (client) => {
      try {
        const [live, setup] = await Promise.all([
          client.nevisMeta.clients.get(props.providerId, id),
          client.nevisMeta.getSetup(props.providerId),
        ]);
        const inputs = inputsOfNevisMetaClient(live, props);
        const outs = outputsOf(
          {
            providerId: props.providerId,
            name: live.name,
            backend: "nevis",
            issuer: setup.issuer,
            tokenEndpoint: tokenEndpointOf(setup.issuer),
            // nevisMeta shows the secret only at creation; keep what state has.
            clientSecret: props.clientSecret,
          },
          inputs,
        );
        return { id, props: outs, inputs: { ...inputs, backend: "nevis" } as ClientInputs };
      } catch (error) {
        return droppedIfGone(
          error,
          `grants:Client ${id} (${props.name})`,
          `in nevisMeta setup ${props.providerId}`,
          "the next `pulumi up` creates it again (with a new id and secret)",
        );
      }
    });
  },

  async update(
    id: string,
    olds: ClientOutputs,
    news: CheckedClientInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ClientOutputs>> {
    return nevisMeta(async (client) => {
      const live = await client.nevisMeta.clients.replace(
        olds.providerId,
        id,
        toNevisMetaBody(news),
      );
      const base: ClientOutputs = {
        providerId: olds.providerId,
        name: live.name,
        backend: "nevis",
        issuer: olds.issuer,
        tokenEndpoint: olds.tokenEndpoint,
        clientSecret: olds.clientSecret,
      };
      return { outs: outputsOf(base, news) };
    });
  },

  async delete(id: string, props: ClientOutputs): Promise<void> {
    await nevisMeta(async (client) => {
      try {
        await client.nevisMeta.clients.delete(props.providerId, id);
      } catch (error) {
        if (!isGrantsError(error, GRANTS_NOT_FOUND)) throw error;
      }
    });
  },
};
