import type * as pulumi from "@pulumi/pulumi";
import { sameSet } from "./check-inputs";
import { containsUnknown } from "./unknown";

export interface DiffPlan {
  /** Every input key the resource has; anything else (`__provider`, outputs) is ignored. */
  readonly inputKeys: readonly string[];
  /** Inputs the API cannot change in place: a change replaces the remote object. */
  readonly replaceKeys: readonly string[];
  /** Inputs with set semantics: order and duplicates never count as a change. */
  readonly setKeys?: readonly string[];
}

/**
 * Compares the state (`olds`, already normalized to the input defaults) with the checked new
 * inputs. Always answers `changes` explicitly: `undefined` would make the engine fall back to
 * its own comparison, which includes `__provider` and so flags every code change.
 */
export function diffInputs(
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
  plan: DiffPlan,
): pulumi.dynamic.DiffResult {
  const changed = plan.inputKeys.filter(
    (key) => !sameValue(olds[key], news[key], plan.setKeys?.includes(key) ?? false),
  );
  return {
    changes: changed.length > 0,
    replaces: changed.filter((key) => plan.replaceKeys.includes(key)),
    deleteBeforeReplace: false,
  };
}

function sameValue(before: unknown, after: unknown, isSet: boolean): boolean {
  // An input not known yet (preview) may differ; if it forces replacement, the plan says so.
  if (containsUnknown(after)) return false;
  if (isSet && Array.isArray(before) && Array.isArray(after)) {
    return sameSet(before as string[], after as string[]);
  }
  return JSON.stringify(before) === JSON.stringify(after);
}
