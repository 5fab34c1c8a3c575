import type * as pulumi from "@pulumi/pulumi";
import { GRANTS_CONFLICT, GRANTS_NOT_FOUND, isGrantsError } from "../../../sdk/index";
import type { ClientGrant } from "../../../sdk/index";
import { storeConfiguredSettings } from "../../config";
import { resolveManagementSettings, settingsOrThrow } from "../../shared/api-settings";
import type { ManagementSettings } from "../../shared/api-settings";
import { heldByAnAdopter, noteAdopted } from "../../shared/adopted-in-run";
import type { GrantsClient } from "../../shared/grants-client";
import { withManagementClient } from "../../shared/grants-client";
import { reportingFailures } from "../../shared/failure-message";
import { warn } from "../../shared/log";
import { droppedIfGone } from "../../shared/gone-on-refresh";
import { answerMayBeLost } from "../../shared/lost-answer";
import { checkedAgainstApi, clientIdFailures } from "../../shared/preflight";
import { PartialCreateError } from "../../shared/partial-create";
import { checkClientGrant } from "./check";
import { diffClientGrant } from "./diff";
import { forgetGrantListings, readGrant } from "./listed-reads";
import { createBody, grantToOutputs, outputsToInputs, updateBody, withClientName } from "./mapping";
import type { ClientGrantInputs, ClientGrantOutputs } from "./schema";
import { clientGrantOutputsSchema } from "./schema";

function management<T>(use: (client: GrantsClient) => Promise<T>): Promise<T> {
  return withManagementClient(settingsOrThrow(resolveManagementSettings()), use);
}

function describe(inputs: Pick<ClientGrantInputs, "clientId" | "audience" | "subjectType">) {
  return `(client ${inputs.clientId}, audience ${inputs.audience}, subject type ${inputs.subjectType})`;
}

/**
 * The grant with the same natural key, if one exists. The subject type must match too: a client
 * may hold one `client` and one `user` grant per audience, and matching on client and audience
 * alone would adopt the wrong one (auth0/terraform-provider-auth0 PR #1534).
 */
async function findExisting(
  client: GrantsClient,
  inputs: ClientGrantInputs,
): Promise<ClientGrant | undefined> {
  for await (const grant of client.clientGrants.list({
    client_id: inputs.clientId,
    audience: inputs.audience,
  })) {
    if (
      grant.client_id === inputs.clientId &&
      grant.audience === inputs.audience &&
      (grant.subject_type ?? "client") === inputs.subjectType
    ) {
      return grant;
    }
  }
  return undefined;
}

/** Brings an adopted grant to the declared settings; a failure still records the grant. */
async function adopt(
  settings: ManagementSettings,
  client: GrantsClient,
  existing: ClientGrant,
  inputs: ClientGrantInputs,
): Promise<pulumi.dynamic.CreateResult<ClientGrantOutputs>> {
  warn(
    `grants:ClientGrant: a client grant already exists for ${describe(inputs)}; ` +
      `adopting ${existing.id} instead of creating a duplicate. Destroying this resource deletes it.`,
  );
  noteAdopted("grants:ClientGrant", settings, existing.id);
  const current = grantToOutputs(existing);
  const patch = updateBody(current, inputs);
  if (patch === undefined) {
    return { id: existing.id, outs: withClientName(withoutId(current), inputs.clientName) };
  }
  try {
    const updated = await client.clientGrants.update(existing.id, patch);
    return {
      id: existing.id,
      outs: withClientName(withoutId(grantToOutputs(updated)), inputs.clientName),
    };
  } catch (error) {
    throw new PartialCreateError(
      `adopted client grant ${existing.id} for ${describe(inputs)}, but updating it to the declared ` +
        `settings failed: ${error instanceof Error ? error.message : String(error)}`,
      existing.id,
      withoutId(current),
      error,
    );
  }
}

function withoutId(outputs: ClientGrantOutputs & { id: string }): ClientGrantOutputs {
  const { id: _id, ...rest } = outputs;
  return rest;
}

/** What the `__provider` code of `grants:ClientGrant` hands the engine's provider process. */
export const clientGrantImplementation = reportingFailures("grants:ClientGrant", "management", {
  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    storeConfiguredSettings(request.config);
  },

  check: checkedAgainstApi("grants:ClientGrant", checkClientGrant, (inputs) => ({
    api: "management",
    references: [() => clientIdFailures(inputs.clientId)],
  })),
  diff: diffClientGrant,

  /**
   * Creates the grant, or adopts the existing one with the same (client, audience, subject
   * type): `pulumi import` does not work for dynamic resources, and a grant re-created out of
   * band would otherwise fail every `up` with 409 (auth0/terraform-provider-auth0#255).
   */
  async create(
    inputs: ClientGrantInputs,
  ): Promise<pulumi.dynamic.CreateResult<ClientGrantOutputs>> {
    forgetGrantListings();
    const settings = settingsOrThrow(resolveManagementSettings());
    return withManagementClient(settings, async (client) => {
      // POST first: almost every create is of a grant that does not exist yet, so listing before
      // each one would double the requests of an `up` (and its share of an API rate limit). The
      // API answers 409 for a duplicate (client, audience, subject type); only then look it up.
      try {
        const created = await client.clientGrants.create(createBody(inputs));
        return {
          id: created.id,
          outs: withClientName(withoutId(grantToOutputs(created)), inputs.clientName),
        };
      } catch (error) {
        // Created by someone else between the list and the POST (409), or created by this POST
        // whose answer was lost: read back by natural key and adopt that one.
        if (isGrantsError(error, GRANTS_CONFLICT) || answerMayBeLost(error)) {
          const raced = await findExisting(client, inputs).catch(() => undefined);
          if (raced !== undefined) return adopt(settings, client, raced, inputs);
        }
        throw error;
      }
    });
  },

  async read(
    id: string,
    props?: ClientGrantOutputs,
  ): Promise<pulumi.dynamic.ReadResult<ClientGrantOutputs>> {
    return management(async (client) => {
      try {
        // The server has no client name; the one the program gave is kept.
        const outs = withClientName(
          withoutId(grantToOutputs(await readGrant(client, id, props?.clientId))),
          props?.clientName,
        );
        // `ReadResult.inputs` is typed as the outputs, but it holds the inputs a program would
        // declare for this live grant; later diffs compare against them (pulumi/pulumi#21315).
        return { id, props: outs, inputs: outputsToInputs(outs) as unknown as ClientGrantOutputs };
      } catch (error) {
        return droppedIfGone(
          error,
          `grants:ClientGrant ${id}${props === undefined ? "" : " " + describe(props as ClientGrantInputs)}`,
          "on the server",
        );
      }
    });
  },

  /** PATCHes only what differs between the state and the declared inputs. */
  async update(
    id: string,
    olds: ClientGrantOutputs,
    news: ClientGrantInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ClientGrantOutputs>> {
    const current = clientGrantOutputsSchema.parse(olds);
    forgetGrantListings();
    return management(async (client) => {
      const patch = updateBody(current, news);
      try {
        const grant =
          patch === undefined
            ? await client.clientGrants.get(id)
            : await client.clientGrants.update(id, patch);
        return { outs: withClientName(withoutId(grantToOutputs(grant)), news.clientName) };
      } catch (error) {
        // Recreating it here would hide the drift; refresh drops it, then `up` creates it.
        if (isGrantsError(error, GRANTS_NOT_FOUND)) {
          throw new Error(
            `grants:ClientGrant ${id} no longer exists on the server; run \`pulumi refresh\` ` +
              "to drop it from the state, then `pulumi up` to create it again.",
            { cause: error },
          );
        }
        throw error;
      }
    });
  },

  async delete(id: string, props: ClientGrantOutputs): Promise<void> {
    // A system grant is owned by the API and cannot be deleted; forgetting it is all we can do.
    if (props.isSystem === true) {
      warn(`grants:ClientGrant ${id} is a system grant; it is removed from state but not deleted.`);
      return;
    }
    const settings = settingsOrThrow(resolveManagementSettings());
    if (heldByAnAdopter("grants:ClientGrant", settings, id)) return;
    forgetGrantListings();
    await withManagementClient(settings, async (client) => {
      try {
        await client.clientGrants.delete(id);
      } catch (error) {
        // Already gone is what delete wants.
        if (!isGrantsError(error, GRANTS_NOT_FOUND)) throw error;
      }
    });
  },
} satisfies pulumi.dynamic.ResourceProvider<ClientGrantInputs, ClientGrantOutputs>);
