import { grantsKind } from "./preview-json";

/**
 * Client names by id from `pulumi stack export` JSON: a preview lists only the resources that
 * change, so a grant of an unchanged client would otherwise show the client's id.
 */
export function clientNamesFromExport(exported: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const resources = (exported as { deployment?: { resources?: unknown[] } })?.deployment?.resources;
  if (!Array.isArray(resources)) return names;
  for (const resource of resources as {
    type?: string;
    id?: string;
    inputs?: Record<string, unknown>;
  }[]) {
    if (grantsKind(resource.type ?? "") !== "Client") continue;
    const name = resource.inputs?.name;
    if (typeof resource.id === "string" && typeof name === "string") names.set(resource.id, name);
  }
  return names;
}
