import type { AccessChange } from "./access-change";
import { describeChange, headline } from "./describe";
import { mermaidGraph } from "./mermaid";

/**
 * The first line of every review comment: a workflow finds its earlier comment by it and
 * updates that one instead of adding another.
 */
export const reviewCommentMarker = "<!-- pulumi-grants review -->";

/** Inline code for a table cell: HTML-escaped, so backticks and pipes in values cannot break it. */
function code(text: string): string {
  const escaped = text.replace(/[&<>|]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<code>${escaped}</code>`;
}

/** For a pull-request comment: a headline, a table of the changes, and the access graph. */
export function formatMarkdown(changes: readonly AccessChange[]): string {
  const counts = changes.filter((change) => change.effect === "widens").length;
  const lines = [
    reviewCommentMarker,
    `### ${counts > 0 ? "⚠️ " : ""}Grant review: ${headline(changes)}`,
  ];
  if (changes.length > 0) {
    lines.push(
      "",
      "| Effect | Client | API | Change | Resource |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const change of changes) {
      lines.push(
        `| ${change.effect}${change.drift ? " (drift)" : ""} | ${code(change.client)} | ${change.audience === undefined ? "" : code(change.audience)} | ${code(describeChange(change))} | ${code(`${change.resourceType} ${change.resource}`)} |`,
      );
    }
  }
  const graph = mermaidGraph(changes);
  if (graph !== undefined) {
    lines.push(
      "",
      "Client → API access this change adds (solid), removes (dotted) or changes (thick):",
      "",
      "```mermaid",
      graph,
      "```",
    );
  }
  return lines.join("\n") + "\n";
}
