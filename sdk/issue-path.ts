/**
 * Renders a zod issue path the way people write it: `["scope", 2]` → `scope[2]`,
 * `["a", "b"]` → `a.b`. `root` prefixes it (`body.scope[2]`); an empty path renders as `root`.
 * The server's 400 messages, the sdk's argument errors and the provider's check failures all
 * name fields this one way.
 */
export function formatIssuePath(path: readonly PropertyKey[], root = ""): string {
  let out = root;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}
