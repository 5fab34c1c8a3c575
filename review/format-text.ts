import type { AccessChange } from "./access-change";
import { effectOrder } from "./access-change";
import { describeChange, headline, subjectOf } from "./describe";

/**
 * For a terminal: the headline, then per effect (widening first) each client → API with its
 * changes indented under it.
 */
export function formatText(changes: readonly AccessChange[]): string {
  const lines = [`Access review: ${headline(changes)}`];
  for (const effect of effectOrder) {
    const group = changes.filter((change) => change.effect === effect);
    if (group.length === 0) continue;
    lines.push("", effect.toUpperCase());
    let previous = "";
    for (const change of group) {
      const heading = `  ${subjectOf(change)}  [${change.resourceType} ${change.resource}]`;
      if (heading !== previous) lines.push(heading);
      previous = heading;
      lines.push(`    ${describeChange(change)}`);
    }
  }
  return lines.join("\n") + "\n";
}
