/**
 * The first object key that appears twice in one object of a JSON text, with its path
 * (`scope`, `a.b`), or undefined. JSON.parse keeps the last of duplicates silently, so
 * `{"audience":"a","audience":"b"}` would mean something else to every other parser; the server
 * refuses such bodies instead (RFC 8259 §4: names SHOULD be unique). Keys are compared decoded,
 * so `"a"` and `"\u0061"` are the same key. The text must be valid JSON (checked after).
 */
export function firstDuplicateKey(text: string): string | undefined {
  type Frame =
    | { kind: "object"; keys: Set<string>; expectKey: boolean; lastKey?: string; path: string }
    | { kind: "array"; path: string };
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  const childPath = (): string => {
    const frame = top();
    if (frame === undefined) return "";
    if (frame.kind === "array") return frame.path === "" ? "[]" : `${frame.path}[]`;
    const key = frame.lastKey ?? "";
    return frame.path === "" ? key : `${frame.path}.${key}`;
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const frame = top();
      if (frame?.kind === "object" && frame.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(index, end + 1)) as string;
        } catch {
          return undefined; // invalid JSON: the parser reports it
        }
        if (frame.keys.has(key)) return frame.path === "" ? key : `${frame.path}.${key}`;
        frame.keys.add(key);
        frame.lastKey = key;
        frame.expectKey = false;
      }
      index = end;
    } else if (char === "{") {
      stack.push({ kind: "object", keys: new Set(), expectKey: true, path: childPath() });
    } else if (char === "[") {
      stack.push({ kind: "array", path: childPath() });
    } else if (char === "}" || char === "]") {
      stack.pop();
    } else if (char === ",") {
      const frame = top();
      if (frame?.kind === "object") frame.expectKey = true;
    }
  }
  return undefined;
}
