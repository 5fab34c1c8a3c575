import type { AccessChange, Effect } from "./access-change";
import { SECRET_VALUE, UNKNOWN_VALUE } from "./preview-json";

/** A value as a reviewer reads it: secrets stay `[secret]`, unknowns say so. */
export function showValue(value: unknown): string {
  if (value === undefined) return "(unset)";
  if (value === UNKNOWN_VALUE) return "(known after apply)";
  if (value === SECRET_VALUE) return SECRET_VALUE;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : value.map(showValue).join(", ");
  return JSON.stringify(value);
}

function scopeList(scopes: readonly string[] | undefined): string {
  if (scopes === undefined || scopes.length === 0) return "no scopes";
  return scopes.includes("*") ? "every scope of the API" : scopes.join(", ");
}

/** One line saying what the change does, the same in every format. */
export function describeChange(change: AccessChange): string {
  const line = describeOnly(change);
  return change.drift ? `${line} (drift: ${driftNote(change)})` : line;
}

/** What the server has that the code does not: the review of a refreshing preview is `up`'s fix. */
function driftNote(change: AccessChange): string {
  switch (change.kind) {
    case "scopes-removed":
      return "the server has it, the code does not";
    case "scopes-added":
      return "the code has it, the server does not";
    case "grant-created":
      return "deleted on the server";
    case "client-setting":
    case "grant-setting":
    case "allow-all-scopes-on":
    case "allow-all-scopes-off":
      return `the server has ${showValue(change.before)}, the code ${showValue(change.after)}`;
    default:
      return "the server differs from the stored state";
  }
}

function describeOnly(change: AccessChange): string {
  switch (change.kind) {
    case "scopes-added":
      return change.scopes!.map((scope) => `+ ${scope}`).join("  ");
    case "scopes-removed":
      return change.scopes!.map((scope) => `- ${scope}`).join("  ");
    case "grant-created":
      return `grant created: ${scopeList(change.scopes)}`;
    case "grant-deleted":
      return `grant deleted: had ${scopeList(change.scopes)}`;
    case "grant-replaced":
      return `grant replaced by a change of ${change.field}: ${showValue(change.before)} → ${showValue(change.after)}; ${scopeList(change.scopes)}`;
    case "allow-all-scopes-on":
      return "allowAllScopes switched on: every scope of the API, present and future";
    case "allow-all-scopes-off":
      return `allowAllScopes switched off: now ${scopeList(change.scopes)}`;
    case "client-created":
      // A nevisMeta or Auth0 client has no audience of its own: its grants name the APIs.
      return change.audience === undefined
        ? "client created"
        : `client created (audience ${change.audience})`;
    case "client-deleted":
      return "client deleted: its secret and grants stop working";
    case "client-replaced":
      return "client replaced";
    case "secret-rotated":
      return change.field === "secretVersion"
        ? `client secret rotated in place (secretVersion ${showValue(change.before)} → ${showValue(change.after)}): the old secret stops working`
        : "client secret rotated (the client is replaced: new id and secret)";
    case "client-setting":
    case "grant-setting":
      return `${change.field}: ${showValue(change.before)} → ${showValue(change.after)}`;
  }
}

/** `deployer → https://orders.example.com`, or the client alone for a client change. */
export function subjectOf(change: AccessChange): string {
  return change.resourceType === "ClientGrant" && change.audience !== undefined
    ? `${change.client} → ${change.audience}`
    : change.client;
}

export function countByEffect(changes: readonly AccessChange[]): Record<Effect, number> {
  const counts: Record<Effect, number> = { widens: 0, narrows: 0, neutral: 0 };
  for (const change of changes) counts[change.effect] += 1;
  return counts;
}

/** `8 changes: 5 widen, 2 narrow, 1 neutral`, or that there is nothing to review. */
export function headline(changes: readonly AccessChange[]): string {
  if (changes.length === 0) return "no change to access";
  const counts = countByEffect(changes);
  const drift = changes.filter((change) => change.drift).length;
  const verdict =
    counts.widens > 0
      ? "access widens"
      : counts.narrows > 0
        ? "access narrows"
        : "access unchanged";
  return (
    `${verdict}, ${changes.length} change${changes.length === 1 ? "" : "s"} ` +
    `(${counts.widens} widen, ${counts.narrows} narrow, ${counts.neutral} neutral` +
    `${drift > 0 ? `; ${drift} from drift` : ""})`
  );
}
