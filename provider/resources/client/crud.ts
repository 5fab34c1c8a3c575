import type * as pulumi from "@pulumi/pulumi";
import { GRANTS_NOT_FOUND, isGrantsError } from "../../../sdk/index";
import type { Client, CreatedClient } from "../../../sdk/index";
import { storeConfiguredSettings } from "../../config";
import { resolveUseGrantSettings, settingsOrThrow } from "../../shared/api-settings";
import type { UseGrantSettings } from "../../shared/api-settings";
import { withUseGrantClient } from "../../shared/grants-client";
import type { GrantsClient } from "../../shared/grants-client";
import { reportingFailures } from "../../shared/failure-message";
import { warn } from "../../shared/log";
import { droppedIfGone } from "../../shared/gone-on-refresh";
import { createOrReadBack } from "../../shared/lost-answer";
import { heldByAnAdopter, noteAdopted } from "../../shared/adopted-in-run";
import { checkedAgainstApi, providerIdFailures } from "../../shared/preflight";
import {
  clientsBeforeCreates,
  noteClient,
  noteClientDeleted,
  providerOnce,
} from "../../shared/usegrant-reads";
import { checkClient } from "./check";
import { diffClient } from "./diff";
import { auth0ClientImplementation } from "./auth0-crud";
import { nevisClientImplementation } from "./nevis-crud";
import type { CheckedClientInputs, ClientInputs, ClientOutputs } from "./schema";

function useGrant<T>(use: Parameters<typeof withUseGrantClient<T>>[1]): Promise<T> {
  return withUseGrantClient(settingsOrThrow(resolveUseGrantSettings()), use);
}

/** The one client of `candidates` with the natural key of `inputs` (name and audience). */
function sameNaturalKey(candidates: readonly Client[], inputs: ClientInputs): Client | undefined {
  const matches = candidates.filter(
    (candidate) => candidate.name === inputs.name && candidate.audience === inputs.audience,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

function tokenEndpointOf(issuer: string | undefined): string | undefined {
  return issuer === undefined ? undefined : `${issuer.replace(/\/+$/, "")}/oauth/token`;
}

/**
 * The client with the same natural key (name and audience within its provider), if exactly one
 * exists now: the create whose answer was just lost left it behind.
 */
async function findExisting(
  client: GrantsClient,
  inputs: ClientInputs,
): Promise<Client | undefined> {
  return sameNaturalKey(await client.clients.list(inputs.providerId), inputs);
}

/** Warns of the adoption, and notes it so the delete of the resource it replaces leaves it. */
function adopting(settings: UseGrantSettings, inputs: ClientInputs, existing: Client): void {
  noteAdopted("grants:Client", settings, existing.id);
  warn(
    `grants:Client: a client named "${inputs.name}" (audience ${inputs.audience}) already exists in ` +
      `provider ${inputs.providerId}; adopting ${existing.id} instead of creating a duplicate. ` +
      "Its secret is shown only when a client is created, so clientSecret is unknown: for a new " +
      "client with a secret, set `deleteBeforeReplace: true` on the resource and run " +
      "`pulumi up --replace <urn>`. Destroying this resource deletes it.",
  );
}

/** What the `__provider` code of `grants:Client` hands the engine's provider process. */
export const clientImplementation = reportingFailures("grants:Client", "usegrant", {
  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    storeConfiguredSettings(request.config);
  },

  check: checkedAgainstApi("grants:Client", checkClient, (inputs) =>
    inputs.backend === "nevis"
      ? { api: "nevis" }
      : inputs.backend === "auth0"
        ? { api: "management" }
        : { api: "usegrant", references: [() => providerIdFailures(inputs.providerId)] },
  ),
  diff: diffClient,

  async create(inputs: CheckedClientInputs): Promise<pulumi.dynamic.CreateResult<ClientOutputs>> {
    if (inputs.backend === "nevis") return nevisClientImplementation.create(inputs);
    if (inputs.backend === "auth0") return auth0ClientImplementation.create(inputs);
    const settings = settingsOrThrow(resolveUseGrantSettings());
    return withUseGrantClient(settings, async (client) => {
      // The provider first: it gives the issuer, and a missing provider fails before anything
      // is created, so create has no follow-up step that could leave an orphan.
      const provider = await providerOnce(settings, inputs.providerId, "operation");
      // Adopt what an earlier run created but never heard back about, rather than duplicate it.
      const existing = sameNaturalKey(
        await clientsBeforeCreates(settings, inputs.providerId),
        inputs,
      );
      let created: CreatedClient;
      if (existing !== undefined) {
        adopting(settings, inputs, existing);
        created = existing;
      } else {
        const outcome = await createOrReadBack<CreatedClient>(
          () =>
            client.clients.create(inputs.providerId, {
              name: inputs.name,
              // check requires it on this backend.
              audience: inputs.audience as string,
            }),
          () => findExisting(client, inputs),
        );
        if (outcome.readBack) adopting(settings, inputs, outcome.value);
        created = outcome.value;
      }
      noteClient(settings, created.id);
      return {
        id: created.id,
        outs: {
          providerId: inputs.providerId,
          name: created.name,
          audience: created.audience,
          subject: created.subject,
          issuer: provider.issuer,
          tokenEndpoint: tokenEndpointOf(provider.issuer),
          // Absent for an adopted client: the engine refuses an undefined secret output.
          ...(created.clientSecret === undefined ? {} : { clientSecret: created.clientSecret }),
          createdAt: created.createdAt,
        },
      };
    });
  },

  async read(id: string, props?: ClientOutputs): Promise<pulumi.dynamic.ReadResult<ClientOutputs>> {
    const providerId = props?.providerId;
    if (providerId === undefined) {
      throw new Error(`grants:Client ${id}: the state has no providerId; cannot read the client.`);
    }
    if (props?.backend === "nevis") return nevisClientImplementation.read(id, props);
    if (props?.backend === "auth0") return auth0ClientImplementation.read(id, props);
    const settings = settingsOrThrow(resolveUseGrantSettings());
    return withUseGrantClient(settings, async (client) => {
      try {
        const [live, provider] = await Promise.all([
          client.clients.get(providerId, id),
          providerOnce(settings, providerId, "operation"),
        ]);
        noteClient(settings, id);
        // The issuer moves with the server's URL or a verified custom domain: read it again so
        // refresh carries the move into `issuer` and `tokenEndpoint`.
        const issuer = provider.issuer ?? props?.issuer;
        const outs: ClientOutputs = {
          providerId,
          name: live.name,
          audience: live.audience,
          subject: live.subject ?? props?.subject,
          issuer,
          tokenEndpoint: tokenEndpointOf(issuer) ?? props?.tokenEndpoint,
          // The API shows the secret only at creation; keep what state has. An adopted client
          // has none, and the engine refuses an undefined secret output.
          ...(props?.clientSecret === undefined ? {} : { clientSecret: props.clientSecret }),
          createdAt: live.createdAt,
        };
        return {
          id,
          props: outs,
          inputs: { providerId, name: live.name, audience: live.audience },
        };
      } catch (error) {
        // Deleted out of band, or with its provider.
        return droppedIfGone(
          error,
          `grants:Client ${id} (${props?.name ?? "unknown name"})`,
          "on the server",
          "the next `pulumi up` creates it again (with a new id and secret)",
        );
      }
    });
  },

  // Every input replaces (no update API); this only refreshes the outputs, keeping the secret.
  async update(
    id: string,
    olds: ClientOutputs,
    news: CheckedClientInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ClientOutputs>> {
    if (olds.backend === "nevis") return nevisClientImplementation.update(id, olds, news);
    if (olds.backend === "auth0") return auth0ClientImplementation.update(id, olds, news);
    return useGrant(async (client) => {
      const live = await client.clients.get(olds.providerId, id);
      return {
        outs: { ...olds, name: live.name, audience: live.audience, createdAt: live.createdAt },
      };
    });
  },

  async delete(id: string, props: ClientOutputs): Promise<void> {
    if (props.backend === "nevis") return nevisClientImplementation.delete(id, props);
    if (props.backend === "auth0") return auth0ClientImplementation.delete(id, props);
    const settings = settingsOrThrow(resolveUseGrantSettings());
    if (heldByAnAdopter("grants:Client", settings, id)) return;
    await withUseGrantClient(settings, async (client) => {
      try {
        await client.clients.delete(props.providerId, id);
      } catch (error) {
        // Already gone (also when its provider was deleted first): nothing left to do.
        if (!isGrantsError(error, GRANTS_NOT_FOUND)) throw error;
      }
    });
    noteClientDeleted(settings, id);
  },
} satisfies pulumi.dynamic.ResourceProvider<ClientInputs | CheckedClientInputs, ClientOutputs>);
