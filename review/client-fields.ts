import type { Effect } from "./access-change";

/**
 * Token endpoint authentication methods from weakest to strongest (RFC 7591 §2 names, plus
 * the Auth0 spellings). Moving down the list makes the client easier to impersonate.
 */
const authMethodStrength = [
  "none",
  "client_secret_post",
  "client_secret_basic",
  "client_secret_jwt",
  "private_key_jwt",
  "tls_client_auth",
  "self_signed_tls_client_auth",
];

/**
 * What changing one input of a Client does to access, by the input's name, so inputs added to
 * `grants:Client` later (token lifetimes, auth methods, grant types) are classified without a
 * change here: a longer token lifetime or a weaker authentication method widens.
 */
export function classifyClientField(field: string, before: unknown, after: unknown): Effect {
  if (
    /ttl|lifetime|expires/i.test(field) &&
    typeof before === "number" &&
    typeof after === "number"
  ) {
    return after > before ? "widens" : after < before ? "narrows" : "neutral";
  }
  if (/auth.*method/i.test(field) && typeof before === "string" && typeof after === "string") {
    const from = authMethodStrength.indexOf(before);
    const to = authMethodStrength.indexOf(after);
    if (from === -1 || to === -1) return "neutral";
    return to < from ? "widens" : to > from ? "narrows" : "neutral";
  }
  if (/grant.?types|scopes/i.test(field) && Array.isArray(before) && Array.isArray(after)) {
    return listEffect(before, after);
  }
  // Switched on: an `allow…`/`…enabled` flag grants more; switched off, less.
  if (/^allow|enabled$/i.test(field) && typeof before === "boolean" && typeof after === "boolean") {
    return after === before ? "neutral" : after ? "widens" : "narrows";
  }
  return "neutral";
}

/** A list that gains an element widens; one that only loses elements narrows. */
export function listEffect(before: readonly unknown[], after: readonly unknown[]): Effect {
  const was = new Set(before.map((value) => JSON.stringify(value)));
  const now = new Set(after.map((value) => JSON.stringify(value)));
  if ([...now].some((value) => !was.has(value))) return "widens";
  if ([...was].some((value) => !now.has(value))) return "narrows";
  return "neutral";
}

/** `deny` < `require` < `allow`: how much organization use a grant permits. */
export function organizationUsageEffect(before: unknown, after: unknown): Effect {
  const rank = ["deny", "require", "allow"];
  const from = rank.indexOf(String(before));
  const to = rank.indexOf(String(after));
  if (from === -1 || to === -1 || from === to) return "neutral";
  return to > from ? "widens" : "narrows";
}
