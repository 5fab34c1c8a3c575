/**
 * Decodes an `application/x-www-form-urlencoded` body (RFC 6749 §4.4.2 token requests) strictly.
 * `URLSearchParams` keeps a malformed `%ZZ` as it is and turns bytes that are not UTF-8 (`%FF`)
 * into U+FFFD, so two different requests would read as one; here either is refused, naming the
 * parameter. Repeated names are kept as arrays so the token endpoint can reject them (§3.2).
 */
export type FormBody = Record<string, string | string[]>;

export type FormDecoding =
  | { readonly ok: true; readonly body: FormBody }
  | { readonly ok: false; readonly parameter: string; readonly problem: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** At most 64 characters of client input in a message. */
function excerpt(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** `+` is a space, `%XX` a byte, and the bytes must be UTF-8; else the problem. */
function decodeComponent(text: string): { value: string } | { problem: string } {
  const spaced = text.replace(/\+/g, " ");
  if (!spaced.includes("%")) return { value: spaced };
  // The common case, at native speed: decodeURIComponent refuses (URIError) exactly what the
  // strict decoding below refuses, a stray % and escapes that are not UTF-8 (surrogates and
  // overlong forms included), and keeps the literal runs as they are. Only a refusal takes the
  // slow path, which names the problem.
  try {
    return { value: decodeURIComponent(spaced) };
  } catch {
    // falls through to name the problem
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(spaced)) {
    return { problem: "holds a % that is not followed by two hex digits" };
  }
  // Literal runs are UTF-8 already (the body was decoded fatally); escapes are single bytes.
  const parts = spaced
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((part) =>
      /^%[0-9A-Fa-f]{2}$/.test(part)
        ? Buffer.from([parseInt(part.slice(1), 16)])
        : Buffer.from(part, "utf8"),
    );
  const bytes = Buffer.concat(parts);
  try {
    return { value: utf8.decode(bytes) };
  } catch {
    return { problem: "is not percent-encoded UTF-8" };
  }
}

export function decodeFormBody(text: string): FormDecoding {
  const values = new Map<string, string | string[]>();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? "" : pair.slice(equals + 1);
    const name = decodeComponent(rawName);
    if ("problem" in name) {
      return { ok: false, parameter: excerpt(rawName), problem: `the name ${name.problem}` };
    }
    const value = decodeComponent(rawValue);
    // The value is never echoed: it may be a secret.
    if ("problem" in value)
      return { ok: false, parameter: excerpt(name.value), problem: value.problem };
    const previous = values.get(name.value);
    values.set(
      name.value,
      previous === undefined
        ? value.value
        : [...(Array.isArray(previous) ? previous : [previous]), value.value],
    );
  }
  // fromEntries never touches a prototype, so `__proto__` is an ordinary (unknown) parameter.
  return { ok: true, body: Object.fromEntries(values) };
}
