import type { ManagementSettings, UseGrantSettings } from "./api-settings";
import { warn } from "./log";
import { managementKey, useGrantKey } from "./settings-key";

// A create that adopts an object by natural key takes over an id another resource of the same
// state may still hold: the old resource of a create-before-delete replacement (a targeted
// `pulumi up --replace`, or a change that replaces without changing the natural key) or of a
// rename without `aliases`. The engine deletes that old resource after the create, by the same
// id, which would delete the object the new resource now holds (and, for a Client or Provider,
// every grant under it through the server's cascade). Within one provider process (one `pulumi`
// operation) the ids a create adopted are known, and their delete is skipped.

/** The resource types that adopt by natural key. */
export type AdoptingResource = "grants:Provider" | "grants:Client" | "grants:ClientGrant";

const adopted = new Set<string>();

function adoptionKey(
  resource: AdoptingResource,
  settings: UseGrantSettings | ManagementSettings,
  id: string,
): string {
  const where = "apiUrl" in settings ? useGrantKey(settings) : managementKey(settings);
  return JSON.stringify([resource, where, id]);
}

/** Notes that a create of this process adopted `id` rather than creating a new object. */
export function noteAdopted(
  resource: AdoptingResource,
  settings: UseGrantSettings | ManagementSettings,
  id: string,
): void {
  adopted.add(adoptionKey(resource, settings, id));
}

/**
 * Whether the delete of `id` must leave the object alone because a create of this process
 * adopted it; warns when so. The engine then drops the old resource from the state, and the
 * new one keeps the object.
 */
export function heldByAnAdopter(
  resource: AdoptingResource,
  settings: UseGrantSettings | ManagementSettings,
  id: string,
): boolean {
  if (!adopted.has(adoptionKey(resource, settings, id))) return false;
  warn(
    `${resource} ${id} is not deleted: a resource created in this run adopted it (same natural ` +
      "key) and holds it in the state now. Only the old resource's state entry is removed.",
  );
  return true;
}

/** Forgets every adoption (tests that start and stop servers in one process). */
export function clearAdoptions(): void {
  adopted.clear();
}
