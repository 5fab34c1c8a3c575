import type { AccessChange } from "./access-change";

interface Edge {
  readonly client: string;
  readonly audience: string;
  readonly how: "added" | "removed" | "changed";
  readonly label: string;
}

/** The client → API edges a change adds, removes or changes, for a Mermaid graph. */
export function accessEdges(changes: readonly AccessChange[]): Edge[] {
  const edges: Edge[] = [];
  for (const change of changes) {
    if (change.resourceType !== "ClientGrant" || change.audience === undefined) continue;
    const at = { client: change.client, audience: change.audience };
    switch (change.kind) {
      case "grant-created":
        edges.push({ ...at, how: "added", label: "added" });
        break;
      case "grant-deleted":
        edges.push({ ...at, how: "removed", label: "removed" });
        break;
      case "grant-replaced":
        edges.push({
          client: change.field === "clientId" ? String(change.before) : change.client,
          audience: change.field === "audience" ? String(change.before) : change.audience,
          how: "removed",
          label: "removed",
        });
        edges.push({ ...at, how: "added", label: "added" });
        break;
      case "scopes-added":
        edges.push({ ...at, how: "changed", label: change.scopes!.map((s) => `+ ${s}`).join(" ") });
        break;
      case "scopes-removed":
        edges.push({ ...at, how: "changed", label: change.scopes!.map((s) => `- ${s}`).join(" ") });
        break;
      case "allow-all-scopes-on":
        edges.push({ ...at, how: "changed", label: "+ all scopes" });
        break;
      case "allow-all-scopes-off":
        edges.push({ ...at, how: "changed", label: "- all scopes" });
        break;
      default:
        break;
    }
  }
  return edges;
}

/** Text inside a quoted Mermaid label: quotes and markup characters as entity codes. */
function label(text: string): string {
  return `"${text.replace(/[#"<>&|]/g, (c) => `#${c.charCodeAt(0)};`)}"`;
}

/**
 * A `flowchart LR` of the edges: solid arrows for access added, dotted for access removed,
 * thick for scopes changed on an existing grant. `undefined` when there is no edge to draw.
 */
export function mermaidGraph(changes: readonly AccessChange[]): string | undefined {
  const edges = accessEdges(changes);
  const newClients = changes.filter((change) => change.kind === "client-created");
  if (edges.length === 0 && newClients.length === 0) return undefined;
  const clients = new Map<string, string>();
  const apis = new Map<string, string>();
  const lines = ["flowchart LR"];
  const node = (map: Map<string, string>, prefix: string, name: string) => {
    let id = map.get(name);
    if (id === undefined) {
      id = `${prefix}${map.size}`;
      map.set(name, id);
      lines.push(`  ${id}[${label(name)}]`);
    }
    return id;
  };
  for (const change of newClients) node(clients, "client", change.client);
  const arrows: string[] = [];
  for (const edge of edges) {
    const from = node(clients, "client", edge.client);
    const to = node(apis, "api", edge.audience);
    const arrow = edge.how === "added" ? "-->" : edge.how === "removed" ? "-.->" : "==>";
    arrows.push(`  ${from} ${arrow}|${label(edge.label)}| ${to}`);
  }
  return [...lines, ...arrows].join("\n");
}
