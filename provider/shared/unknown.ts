/**
 * What the engine sends during `pulumi preview` for an input that is not known yet (an output of
 * a resource that has not been created). Same value as `@pulumi/pulumi/runtime/rpc` `unknownValue`;
 * kept here so the implementation modules do not load the Pulumi runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True for the sentinel itself, and for an array or object holding it anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}
