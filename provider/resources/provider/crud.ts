import type * as pulumi from "@pulumi/pulumi";
import { GRANTS_NOT_FOUND, isGrantsError } from "../../../sdk/index";
import type { Provider } from "../../../sdk/index";
import { storeConfiguredSettings } from "../../config";
import {
  resolveManagementSettings,
  resolveUseGrantSettings,
  settingsOrThrow,
} from "../../shared/api-settings";
import type { UseGrantSettings } from "../../shared/api-settings";
import { withUseGrantClient } from "../../shared/grants-client";
import type { GrantsClient } from "../../shared/grants-client";
import { reportingFailures } from "../../shared/failure-message";
import { warn } from "../../shared/log";
import { droppedIfGone } from "../../shared/gone-on-refresh";
import { createOrReadBack } from "../../shared/lost-answer";
import { heldByAnAdopter, noteAdopted } from "../../shared/adopted-in-run";
import { checkedAgainstApi } from "../../shared/preflight";
import { noteProvider, noteProviderDeleted } from "../../shared/usegrant-reads";
import { checkProvider } from "./check";
import { diffProvider } from "./diff";
import type { CheckedProviderInputs, ProviderInputs, ProviderOutputs } from "./schema";
import { tenantOf } from "./tenant";

function outputsOf(provider: Provider): ProviderOutputs {
  return {
    name: provider.name,
    description: provider.description,
    issuer: provider.issuer,
    discoveryUrl: provider.discoveryUrl,
    jwksUri: provider.jwksUri,
    createdAt: provider.createdAt,
  };
}

function useGrant<T>(use: Parameters<typeof withUseGrantClient<T>>[1]): Promise<T> {
  return withUseGrantClient(settingsOrThrow(resolveUseGrantSettings()), use);
}

/**
 * The provider with the same name and description, if exactly one exists: a create whose answer
 * was lost left it behind, and creating again would leave it an orphan.
 */
async function findExisting(
  client: GrantsClient,
  inputs: ProviderInputs,
): Promise<Provider | undefined> {
  const matches = (await client.providers.list()).filter(
    (candidate) => candidate.name === inputs.name && candidate.description === inputs.description,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

/** Warns of the adoption, and notes it so the delete of the resource it replaces leaves it. */
function adopting(settings: UseGrantSettings, inputs: ProviderInputs, existing: Provider): void {
  noteAdopted("grants:Provider", settings, existing.id);
  warn(
    `grants:Provider: a provider named "${inputs.name}" with the same description already exists; ` +
      `adopting ${existing.id} instead of creating a duplicate. Destroying this resource deletes it.`,
  );
}

/**
 * A Provider on `grants:backend auth0`: the tenant, which signs its applications' tokens. Nothing
 * is created; the id is the tenant URL and the outputs are its issuer URLs.
 */
function tenantProvider(inputs: CheckedProviderInputs): { id: string; outs: ProviderOutputs } {
  const tenant = tenantOf(settingsOrThrow(resolveManagementSettings()));
  return {
    id: tenant.url,
    outs: {
      name: inputs.name,
      description: inputs.description,
      backend: "auth0",
      issuer: tenant.issuer,
      discoveryUrl: tenant.discoveryUrl,
      jwksUri: tenant.jwksUri,
    },
  };
}

/** What the `__provider` code of `grants:Provider` hands the engine's provider process. */
export const providerImplementation = reportingFailures("grants:Provider", "usegrant", {
  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    storeConfiguredSettings(request.config);
  },

  check: checkedAgainstApi("grants:Provider", checkProvider, (inputs) => ({
    // On auth0 the provider is the tenant: its Management API is what later calls need.
    api: inputs.backend === "auth0" ? "management" : "usegrant",
  })),
  diff: diffProvider,

  async create(
    inputs: CheckedProviderInputs,
  ): Promise<pulumi.dynamic.CreateResult<ProviderOutputs>> {
    if (inputs.backend === "auth0") return tenantProvider(inputs);
    const settings = settingsOrThrow(resolveUseGrantSettings());
    return withUseGrantClient(settings, async (client) => {
      // Listing first also shows the sdk whether the server honours Idempotency-Key, so a create
      // whose answer is lost can be repeated safely within this run.
      const existing = await findExisting(client, inputs);
      if (existing !== undefined) {
        adopting(settings, inputs, existing);
        noteProvider(settings, existing);
        return { id: existing.id, outs: outputsOf(existing) };
      }
      const outcome = await createOrReadBack(
        () => client.providers.create({ name: inputs.name, description: inputs.description }),
        () => findExisting(client, inputs),
      );
      if (outcome.readBack) adopting(settings, inputs, outcome.value);
      noteProvider(settings, outcome.value);
      return { id: outcome.value.id, outs: outputsOf(outcome.value) };
    });
  },

  async read(
    id: string,
    props?: ProviderOutputs,
  ): Promise<pulumi.dynamic.ReadResult<ProviderOutputs>> {
    if (props?.backend === "auth0") {
      const { outs } = tenantProvider(props);
      return {
        id,
        props: outs,
        inputs: { name: outs.name, description: outs.description, backend: "auth0" },
      };
    }
    return useGrant(async (client) => {
      try {
        const provider = await client.providers.get(id);
        const outs = outputsOf(provider);
        return { id, props: outs, inputs: { name: outs.name, description: outs.description } };
      } catch (error) {
        return droppedIfGone(
          error,
          `grants:Provider ${id} (${props?.name ?? "unknown name"})`,
          "on the server",
        );
      }
    });
  },

  // The diff replaces on every input change, so the engine only calls this for a change the
  // API cannot make anyway; answer with the live object so the state stays complete.
  async update(
    id: string,
    olds: ProviderOutputs,
    news: CheckedProviderInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ProviderOutputs>> {
    if (olds.backend === "auth0") return { outs: tenantProvider(news).outs };
    return useGrant(async (client) => ({ outs: outputsOf(await client.providers.get(id)) }));
  },

  async delete(id: string, props: ProviderOutputs): Promise<void> {
    // The tenant is not this stack's to delete.
    if (props.backend === "auth0") return;
    const settings = settingsOrThrow(resolveUseGrantSettings());
    if (heldByAnAdopter("grants:Provider", settings, id)) return;
    await withUseGrantClient(settings, async (client) => {
      try {
        await client.providers.delete(id);
      } catch (error) {
        // Already gone is what delete wants.
        if (!isGrantsError(error, GRANTS_NOT_FOUND)) throw error;
      }
    });
    noteProviderDeleted(settings, id);
  },
} satisfies pulumi.dynamic.ResourceProvider<CheckedProviderInputs, ProviderOutputs>);
