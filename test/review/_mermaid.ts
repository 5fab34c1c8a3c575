import { JSDOM } from "jsdom";

/**
 * The real Mermaid parser (the `mermaid` package, the one GitHub renders with). It needs a DOM
 * for its sanitizer (DOMPurify) even to parse, so jsdom provides a window first.
 */
export async function parseMermaid(text: string): Promise<{ diagramType: string }> {
  if (!("window" in globalThis)) {
    const { window } = new JSDOM("");
    Object.assign(globalThis, { window, document: window.document });
  }
  const { default: mermaid } = await import("mermaid");
  // Throws on a diagram it cannot parse (suppressErrors is off).
  return mermaid.parse(text);
}

/** The body of the first ```mermaid block in a Markdown text. */
export function mermaidBlock(markdown: string): string {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (match === null) throw new Error("no ```mermaid block in the Markdown");
  return match[1]!;
}
