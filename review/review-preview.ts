import type { AccessChange, Effect } from "./access-change";
import { effectOrder } from "./access-change";
import { classifyClientField, listEffect, organizationUsageEffect } from "./client-fields";
import type { PreviewJson, PreviewStep, ResourceState } from "./preview-json";
import { grantsKind, previewJsonSchema, resourceName, UNKNOWN_VALUE } from "./preview-json";

/** Inputs that are bookkeeping, not access: never reported. */
const ignoredInputs = new Set(["__provider", "clientName", "isSystem"]);
/** The grant inputs handled one by one below; any other changed input is reported as is. */
const grantIdentity = new Set(["clientId", "audience", "subjectType"]);

export interface ReviewOptions {
  /** Client names by id, e.g. from `pulumi stack export`, for clients the preview does not show. */
  readonly clientNames?: ReadonlyMap<string, string>;
}

/**
 * What a `pulumi preview --json` (or `--refresh --json`) document does to access, widening
 * first. Pure: the same JSON gives the same list. Throws a `TypeError` naming the problem when
 * the document is not preview JSON.
 */
export function reviewPreview(json: unknown, options: ReviewOptions = {}): AccessChange[] {
  const parsed = previewJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new TypeError(
      `not the JSON of \`pulumi preview --json\`: ${parsed.error.issues[0]?.message ?? "invalid"} at ${parsed.error.issues[0]?.path.join(".") || "the top level"}`,
    );
  }
  const preview = parsed.data;
  const names = clientNames(preview, options.clientNames);
  const stored = storedStates(preview);
  const changes: AccessChange[] = [];
  for (const step of preview.steps) {
    const state = step.newState ?? step.oldState;
    const kind = grantsKind(state?.type ?? "");
    if (kind !== "Client" && kind !== "ClientGrant") continue;
    const found = kind === "Client" ? clientChanges(step, names) : grantChanges(step, names);
    const drift = isDrift(step, stored);
    for (const change of found) changes.push({ ...change, drift });
  }
  return sortChanges(changes);
}

type Draft = Omit<AccessChange, "drift">;

/** Widening first, then narrowing, then neutral; within each, by client, API and resource. */
export function sortChanges<T extends AccessChange>(changes: readonly T[]): T[] {
  const key = (change: T) =>
    [change.client, change.audience ?? "", change.resource, change.kind].join("\u0000");
  return [...changes].sort(
    (a, b) =>
      effectOrder.indexOf(a.effect) - effectOrder.indexOf(b.effect) || key(a).localeCompare(key(b)),
  );
}

function clientNames(
  preview: PreviewJson,
  extra: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  const names = new Map(extra);
  for (const step of preview.steps) {
    for (const state of [step.oldState, step.newState]) {
      if (state === undefined) continue;
      const kind = grantsKind(state.type);
      const inputs = state.inputs ?? {};
      if (kind === "Client" && known(state.id) && known(inputs.name)) {
        names.set(state.id, inputs.name);
      }
      if (kind === "ClientGrant" && known(inputs.clientId) && known(inputs.clientName)) {
        names.set(inputs.clientId, inputs.clientName);
      }
    }
  }
  return names;
}

function known(value: unknown): value is string {
  return typeof value === "string" && value !== UNKNOWN_VALUE && value.length > 0;
}

/**
 * On a refreshing preview, the state as stored (a `refresh` step's old state) by URN. The step
 * that follows for the same resource starts from what the server has; where the two differ,
 * the change is drift.
 */
function storedStates(preview: PreviewJson): Map<string, ResourceState | undefined> {
  const stored = new Map<string, ResourceState | undefined>();
  for (const step of preview.steps) {
    if (step.op === "refresh") stored.set(step.urn, step.oldState);
  }
  return stored;
}

function isDrift(step: PreviewStep, stored: Map<string, ResourceState | undefined>): boolean {
  if (!stored.has(step.urn)) return false;
  const before = stored.get(step.urn);
  // Refreshed away (deleted on the server): the program's resource is created again.
  if (step.op === "create") return before !== undefined;
  return (
    JSON.stringify(withoutProvider(before?.outputs)) !==
    JSON.stringify(withoutProvider(step.oldState?.outputs))
  );
}

function withoutProvider(values: Record<string, unknown> | undefined) {
  if (values === undefined) return undefined;
  const { __provider: _provider, ...rest } = values;
  return rest;
}

function inputsOf(state: ResourceState | undefined): Record<string, unknown> {
  return state?.inputs ?? {};
}

function clientLabel(id: unknown, names: Map<string, string>, declared?: unknown): string {
  if (known(declared)) return declared;
  if (known(id)) return names.get(id) ?? id;
  return "(new client)";
}

// --- clients --------------------------------------------------------------------------------

function clientChanges(step: PreviewStep, names: Map<string, string>): Draft[] {
  const before = inputsOf(step.oldState);
  const after = inputsOf(step.newState);
  const id = step.oldState?.id ?? step.newState?.id;
  const base = {
    resource: resourceName(step.urn),
    resourceType: "Client" as const,
    client: known(after.name)
      ? after.name
      : known(before.name)
        ? before.name
        : clientLabel(id, names),
    ...(known(id) ? { clientId: id } : {}),
  };
  switch (step.op) {
    case "create":
    case "import":
      // A new identity with a secret: it can obtain tokens for its own audience.
      return [{ ...base, kind: "client-created", effect: "widens", audience: str(after.audience) }];
    case "delete":
      return [
        { ...base, kind: "client-deleted", effect: "narrows", audience: str(before.audience) },
      ];
    case "update":
      return changedFields(before, after).map((field) =>
        // On Auth0 a changed secretVersion rotates the secret in place: the id stays, and the
        // old secret stops working, which a reviewer must see as more than a setting.
        field === "secretVersion"
          ? {
              ...base,
              kind: "secret-rotated" as const,
              effect: "neutral" as const,
              field,
              before: before[field],
              after: after[field],
            }
          : clientField(base, field, before, after),
      );
    case "replace":
    case "create-replacement": {
      const fields = changedFields(before, after).map((field) =>
        clientField(base, field, before, after),
      );
      return [
        ...fields,
        { ...base, kind: "secret-rotated", effect: "neutral", field: "clientSecret" },
      ];
    }
    default:
      return [];
  }
}

function clientField(
  base: Pick<Draft, "resource" | "resourceType" | "client" | "clientId">,
  field: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Draft {
  return {
    ...base,
    kind: "client-setting",
    effect: classifyClientField(field, before[field], after[field]),
    field,
    before: before[field],
    after: after[field],
  };
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !ignoredInputs.has(key))
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

// --- client grants --------------------------------------------------------------------------

function grantChanges(step: PreviewStep, names: Map<string, string>): Draft[] {
  const before = inputsOf(step.oldState);
  const after = inputsOf(step.newState);
  const current = step.op === "delete" ? before : after;
  const base = {
    resource: resourceName(step.urn),
    resourceType: "ClientGrant" as const,
    client: clientLabel(current.clientId, names, current.clientName),
    ...(known(current.clientId) ? { clientId: current.clientId } : {}),
    audience: str(current.audience),
  };
  const grantScopes = (inputs: Record<string, unknown>) =>
    inputs.allowAllScopes === true ? ["*"] : strings(inputs.scopes);
  switch (step.op) {
    case "create":
    case "import":
      return [{ ...base, kind: "grant-created", effect: "widens", scopes: grantScopes(after) }];
    case "delete":
      return [{ ...base, kind: "grant-deleted", effect: "narrows", scopes: grantScopes(before) }];
    case "replace":
    case "create-replacement": {
      const reasons = step.replaceReasons?.length
        ? step.replaceReasons
        : [...grantIdentity].filter(
            (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
          );
      const field = reasons[0] ?? "clientId";
      return [
        {
          ...base,
          kind: "grant-replaced",
          // A new (client, API) pair gets access, whatever the old one loses.
          effect: "widens",
          field,
          before:
            field === "clientId"
              ? clientLabel(before.clientId, names, before.clientName)
              : before[field],
          after: field === "clientId" ? base.client : after[field],
          scopes: grantScopes(after),
        },
      ];
    }
    case "update":
      return grantUpdates(base, before, after);
    default:
      return [];
  }
}

function grantUpdates(
  base: Pick<Draft, "resource" | "resourceType" | "client" | "clientId" | "audience">,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Draft[] {
  const changes: Draft[] = [];
  const allWas = before.allowAllScopes === true;
  const allNow = after.allowAllScopes === true;
  if (!allWas && allNow) {
    changes.push({
      ...base,
      kind: "allow-all-scopes-on",
      effect: "widens",
      field: "allowAllScopes",
      before: false,
      after: true,
    });
  } else if (allWas && !allNow) {
    changes.push({
      ...base,
      kind: "allow-all-scopes-off",
      effect: "narrows",
      field: "allowAllScopes",
      before: true,
      after: false,
      scopes: strings(after.scopes),
    });
  } else if (!allNow) {
    const was = strings(before.scopes);
    const now = strings(after.scopes);
    const added = now.filter((scope) => !was.includes(scope));
    const removed = was.filter((scope) => !now.includes(scope));
    if (added.length > 0)
      changes.push({
        ...base,
        kind: "scopes-added",
        effect: "widens",
        field: "scopes",
        scopes: added,
      });
    if (removed.length > 0)
      changes.push({
        ...base,
        kind: "scopes-removed",
        effect: "narrows",
        field: "scopes",
        scopes: removed,
      });
  }
  const handled = new Set(["scopes", "allowAllScopes", ...grantIdentity]);
  for (const field of changedFields(before, after)) {
    if (handled.has(field)) continue;
    changes.push({
      ...base,
      kind: "grant-setting",
      effect: grantFieldEffect(field, before[field], after[field]),
      field,
      before: before[field],
      after: after[field],
    });
  }
  return changes;
}

function grantFieldEffect(field: string, before: unknown, after: unknown): Effect {
  if (field === "organizationUsage")
    return organizationUsageEffect(before ?? "deny", after ?? "deny");
  if (field === "allowAnyOrganization") return after === true ? "widens" : "narrows";
  if (Array.isArray(before) && Array.isArray(after)) return listEffect(before, after);
  return classifyClientField(field, before, after);
}
