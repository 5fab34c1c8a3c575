import type { AccessChange } from "./access-change";
import { countByEffect } from "./describe";

/** For other tools: counts and the changes, widening first. */
export function formatJson(changes: readonly AccessChange[]): string {
  const counts = countByEffect(changes);
  return (
    JSON.stringify(
      { summary: { ...counts, drift: changes.filter((change) => change.drift).length }, changes },
      null,
      2,
    ) + "\n"
  );
}
