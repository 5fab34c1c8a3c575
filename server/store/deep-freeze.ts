/**
 * Freezes a value and every plain object and array in it, for values that many readers share.
 * Byte arrays are left as they are: a typed array with elements cannot be frozen.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
