import type * as pulumi from "@pulumi/pulumi";
import { performance } from "node:perf_hooks";
import {
  GRANTS_FORBIDDEN,
  GRANTS_INVALID_RESPONSE,
  GRANTS_NETWORK,
  GRANTS_NOT_FOUND,
  GRANTS_UNAUTHORIZED,
  isGrantsError,
} from "../../sdk/index";
import { settingSources } from "../config";
import {
  resolveManagementSettings,
  resolveNevisMetaSettings,
  resolveUseGrantSettings,
} from "./api-settings";
import type { CheckFailure } from "./check-inputs";
import { failureSentence } from "./failure-message";
import type { ApiKind } from "./failure-message";
import { withManagementClient, withNevisMetaClient, withUseGrantClient } from "./grants-client";
import type { GrantsClient } from "./grants-client";
import { clearAdoptions } from "./adopted-in-run";
import { containsUnknown } from "./unknown";
import { managementKey, nevisMetaKey, useGrantKey } from "./settings-key";
import { clearUseGrantReads, clientKnown, providerOnce } from "./usegrant-reads";

// Preview calls only `check` and `diff`, so a wrong token, a stopped server or a grant naming a
// client that does not exist would pass it, and `up` would then half-apply. `check` therefore
// asks the API, read-only, before it passes: once per provider process whether the API answers
// and accepts the token, and once per referenced id whether it exists. The same checks run on
// the `check` of an `up`, so such an `up` fails before it creates anything. Each answer is kept
// for the life of the process (one `pulumi` operation), so a stack of many resources sends one
// probe per API and one lookup per distinct id, however many resources share them.

/** The APIs a resource can be checked against. */
export type PreflightApi = "usegrant" | "management" | "nevis";

const answers = new Map<string, Promise<string | undefined>>();

/** Runs `probe` once per `key` in this process; concurrent callers share the first run. */
function once(key: string, probe: () => Promise<string | undefined>): Promise<string | undefined> {
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = probe();
    answers.set(key, answer);
  }
  return answer;
}

/** Forgets every answer (tests that start and stop servers in one process). */
export function clearPreflightAnswers(): void {
  answers.clear();
  clientSnapshot = undefined;
  clearUseGrantReads();
  clearAdoptions();
}

/** A plain id: not empty, and not the preview's stand-in for an output not known yet. */
function isKnownId(value: unknown): value is string {
  return typeof value === "string" && value !== "" && !containsUnknown(value);
}

function failure(reason: string | undefined, property = ""): CheckFailure[] {
  return reason === undefined ? [] : [{ property, reason }];
}

/**
 * Whether the API `resource` uses answers a read-only request with these settings; a check
 * failure naming the setting to fix when it does not (401 → the token, refused → the URL).
 * Missing settings are reported by the resource's own check; this only runs when they resolve.
 */
export async function apiAnswerFailures(
  resource: string,
  api: PreflightApi,
): Promise<CheckFailure[]> {
  const reason = await (async () => {
    switch (api) {
      case "usegrant": {
        const resolved = resolveUseGrantSettings();
        if (!resolved.ok) return undefined;
        return once(useGrantKey(resolved.settings), () =>
          probe(resource, api, () =>
            withUseGrantClient(resolved.settings, (client) => client.providers.list(), "probe"),
          ),
        );
      }
      case "management": {
        const resolved = resolveManagementSettings();
        if (!resolved.ok) return undefined;
        return once(managementKey(resolved.settings), () =>
          probe(resource, api, () =>
            withManagementClient(
              resolved.settings,
              async (client) => {
                // One page of one grant: the cheapest authenticated read of that API.
                const pages = client.clientGrants.list(undefined, {
                  pageSize: 1,
                  paging: "offset",
                });
                await pages.next();
                await pages.return?.();
              },
              "probe",
            ),
          ),
        );
      }
      case "nevis": {
        const resolved = resolveNevisMetaSettings();
        if (!resolved.ok) return undefined;
        return once(nevisMetaKey(resolved.settings), () =>
          probe(resource, api, () =>
            withNevisMetaClient(
              resolved.settings,
              (client) => client.nevisMeta.listSetups(),
              "probe",
            ),
          ),
        );
      }
    }
  })();
  return failure(reason);
}

// What no retry in `up` would mend: a refused token, a URL that leads nowhere or to something
// else. A failure that may pass (timeout, reset, 5xx, 429) does not fail the check; the
// operations retry it under their own, larger budget.
const LASTING_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

function lasting(error: unknown): boolean {
  if (!isGrantsError(error)) return true;
  if (error.code === GRANTS_NETWORK) {
    const cause = error.cause as { code?: unknown } | undefined;
    return typeof cause?.code === "string" && LASTING_NETWORK_CODES.has(cause.code);
  }
  return (
    error.code === GRANTS_UNAUTHORIZED ||
    error.code === GRANTS_FORBIDDEN ||
    error.code === GRANTS_NOT_FOUND ||
    error.code === GRANTS_INVALID_RESPONSE
  );
}

async function probe(
  resource: string,
  api: PreflightApi,
  run: () => Promise<unknown>,
): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (!lasting(error)) return undefined;
    return failureSentence(resource, "preview check", api satisfies ApiKind, error);
  }
}

/**
 * A check failure on `providerId` when the useGrant API says no provider has that id. Any other
 * answer (the provider exists, or the lookup itself failed) passes: the probe above reports an
 * API that does not answer, and `create` reports the rest.
 */
export async function providerIdFailures(providerId: unknown): Promise<CheckFailure[]> {
  const resolved = resolveUseGrantSettings();
  if (!resolved.ok || !isKnownId(providerId)) return [];
  const { apiUrl } = resolved.settings;
  const reason = await once(useGrantKey(resolved.settings) + `provider:${providerId}`, () =>
    providerOnce(resolved.settings, providerId, "probe").then(
      () => undefined,
      (error: unknown) =>
        isGrantsError(error, GRANTS_NOT_FOUND)
          ? `providerId "${providerId}" names no provider at ${apiUrl} (${settingSources.apiUrl.configKey}). ` +
            "Use the id of an existing provider, or run `pulumi refresh` if it was deleted outside Pulumi."
          : undefined,
    ),
  );
  return failure(reason, "providerId");
}

/** One listing of every client id of every provider, and when it started. */
interface ClientListing {
  readonly settingsKey: string;
  readonly startedAt: number;
  readonly ids: Promise<ReadonlySet<string> | undefined>;
}

let clientSnapshot: ClientListing | undefined;

async function listClientIds(client: GrantsClient): Promise<ReadonlySet<string>> {
  const providers = await client.providers.list();
  const ids = new Set<string>();
  // A few providers at a time: a server with many must not be hit by all of them at once.
  for (let start = 0; start < providers.length; start += 8) {
    const batch = providers.slice(start, start + 8);
    const lists = await Promise.all(batch.map((provider) => client.clients.list(provider.id)));
    for (const list of lists) for (const found of list) ids.add(found.id);
  }
  return ids;
}

/**
 * The client ids on the server, from a listing that started no earlier than `notBefore`
 * (`-Infinity`: any listing will do). Callers share a listing that qualifies, so ids that miss
 * together cost one new listing; a listing that started before the caller looked may predate a
 * client created since, so it never answers for a miss.
 */
function clientIds(
  settings: { readonly apiUrl: string; readonly apiToken: string },
  notBefore: number,
): Promise<ReadonlySet<string> | undefined> {
  const key = useGrantKey(settings);
  const last = clientSnapshot;
  if (last !== undefined && last.settingsKey === key && last.startedAt >= notBefore) {
    return last.ids;
  }
  const listing: ClientListing = {
    settingsKey: key,
    startedAt: performance.now(),
    // A failed listing proves nothing; the probe reports an API that does not answer.
    ids: withUseGrantClient(settings, listClientIds, "probe").catch(() => undefined),
  };
  clientSnapshot = listing;
  return listing.ids;
}

/**
 * A check failure on `clientId` when no client on the server has that id. A grant's client may
 * be a useGrant client (listed by the grant server's useGrant API, once, and again only when an
 * id is missing from the last listing: a client created since, in this same `up`) or an Auth0
 * application (`GET /api/v2/clients/{id}`); the id is missing only when neither knows it. A
 * lookup that cannot answer (no useGrant API on that origin, a token without `read:clients`)
 * proves nothing, and `create` reports the rest.
 */
export async function clientIdFailures(clientId: unknown): Promise<CheckFailure[]> {
  if (!isKnownId(clientId)) return [];
  const management = resolveManagementSettings();
  if (!management.ok) return [];
  const useGrant = resolveUseGrantSettings();
  const sameServer =
    useGrant.ok &&
    new URL(management.settings.managementApiUrl).origin ===
      new URL(useGrant.settings.apiUrl).origin;
  const where = management.settings.managementApiUrl;
  const reason = await once(managementKey(management.settings) + `client:${clientId}`, async () => {
    if (sameServer) {
      // A client this process created or read exists: no listing needed.
      if (clientKnown(useGrant.settings, clientId)) return undefined;
      const askedAt = performance.now();
      const known = await clientIds(useGrant.settings, -Infinity);
      if (known === undefined || known.has(clientId)) return undefined;
      const fresh = await clientIds(useGrant.settings, askedAt);
      if (fresh === undefined || fresh.has(clientId)) return undefined;
    }
    const application = await withManagementClient(
      management.settings,
      (client) => client.auth0Clients.get(clientId),
      "probe",
    ).then(
      () => "exists" as const,
      (error: unknown) => (isGrantsError(error, GRANTS_NOT_FOUND) ? "missing" : "unknown"),
    );
    if (application === "exists" || (application === "unknown" && !sameServer)) return undefined;
    const setting = sameServer ? settingSources.apiUrl : settingSources.managementApiUrl;
    return (
      `clientId "${clientId}" names no client at ${sameServer ? useGrant.settings.apiUrl : where} (${setting.configKey}). ` +
      "Use the id of an existing client, or run `pulumi refresh` if it was deleted outside Pulumi."
    );
  });
  return failure(reason, "clientId");
}

type Check<I> = (
  olds: unknown,
  news: Record<string, unknown>,
) => Promise<pulumi.dynamic.CheckResult<I>>;

/**
 * `check` followed, when the inputs are valid, by the checks against the API: whether it
 * answers (`api` of the checked inputs) and whether the ids they reference exist (`references`).
 */
export function checkedAgainstApi<I>(
  resource: string,
  check: Check<I>,
  plan: (inputs: I) => {
    readonly api: PreflightApi;
    readonly references?: readonly (() => Promise<CheckFailure[]>)[];
  },
): Check<I> {
  return async (olds, news) => {
    const result = await check(olds, news);
    if ((result.failures?.length ?? 0) > 0 || result.inputs === undefined) return result;
    const { api, references = [] } = plan(result.inputs);
    const answers = await apiAnswerFailures(resource, api);
    // Ids are looked up only at an API that answers: otherwise each would repeat its failure.
    const failures =
      answers.length > 0
        ? answers
        : (await Promise.all(references.map((lookup) => lookup()))).flat();
    return failures.length === 0 ? result : { ...result, failures };
  };
}
