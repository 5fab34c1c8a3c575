import type { AccessEntry } from "./access-entry";

function scopesOf(entry: AccessEntry): string {
  const scopes = entry.allowAllScopes ? "* (every scope)" : entry.scopes.join(" ") || "(no scopes)";
  return entry.subjectType === "client" ? scopes : `${scopes} [subject: ${entry.subjectType}]`;
}

/** A client × API table for a terminal, columns padded. */
export function accessText(entries: readonly AccessEntry[]): string {
  if (entries.length === 0) return "No client may call any API (or none matches the filters).\n";
  const rows = [
    ["CLIENT", "API", "SCOPES"],
    ...entries.map((e) => [e.client, e.audience, scopesOf(e)]),
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`)
      .join("\n") + "\n"
  );
}

function cell(text: string): string {
  return `<code>${text.replace(/[&<>|]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>`;
}

export function accessMarkdown(entries: readonly AccessEntry[]): string {
  const lines = ["| Client | API | Scopes |", "| --- | --- | --- |"];
  for (const entry of entries)
    lines.push(`| ${cell(entry.client)} | ${cell(entry.audience)} | ${cell(scopesOf(entry))} |`);
  return lines.join("\n") + "\n";
}

export function accessJson(entries: readonly AccessEntry[]): string {
  return JSON.stringify(entries, null, 2) + "\n";
}

function label(text: string): string {
  return `"${text.replace(/[#"<>&|]/g, (c) => `#${c.charCodeAt(0)};`)}"`;
}

/** A `flowchart LR` of client → API edges labelled with the scopes. */
export function accessMermaid(entries: readonly AccessEntry[]): string {
  const lines = ["flowchart LR"];
  const ids = new Map<string, string>();
  const node = (key: string, text: string, prefix: string) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `${prefix}${ids.size}`;
      ids.set(key, id);
      lines.push(`  ${id}[${label(text)}]`);
    }
    return id;
  };
  const edges = entries.map((entry) => {
    const from = node(`client:${entry.clientId}`, entry.client, "client");
    const to = node(`api:${entry.audience}`, entry.audience, "api");
    return `  ${from} -->|${label(scopesOf(entry))}| ${to}`;
  });
  return [...lines, ...edges].join("\n") + "\n";
}
