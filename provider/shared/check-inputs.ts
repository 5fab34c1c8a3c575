import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { containsUnknown } from "./unknown";
import { formatIssuePath } from "../../sdk/issue-path";

export type CheckFailure = pulumi.dynamic.CheckFailure;

/** The key the dynamic-provider host adds to every input set; never validated, never diffed. */
export const PROVIDER_KEY = "__provider";

/**
 * One failure per property, from its first zod issue (an empty scope also fails the scope-token
 * pattern; saying so twice helps nobody); an unknown key becomes a failure on that key.
 */
export function issueFailures(issues: readonly z.core.$ZodIssue[]): CheckFailure[] {
  const failures = new Map<string, CheckFailure>();
  const add = (property: string, reason: string) => {
    if (!failures.has(property)) failures.set(property, { property, reason });
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        add(formatIssuePath([...issue.path, key]), `\`${key}\` is not an input of this resource`);
      }
    } else {
      add(formatIssuePath(issue.path), issue.message);
    }
  }
  return [...failures.values()];
}

export interface KnownInputs {
  /** The parsed known inputs (defaults filled), plus the unknown ones exactly as received. */
  readonly inputs: Record<string, unknown>;
  /** Top-level keys whose value is, or holds, the preview sentinel. */
  readonly unknownKeys: ReadonlySet<string>;
  readonly failures: CheckFailure[];
}

// zod compiles an object schema on its first parse, which costs far more than a parse: a schema
// derived per call (`omit`) would be compiled again for each of the 500 checks of a preview.
// So the schema without a set of keys is derived once per (schema, keys) and kept.
const derived = new WeakMap<z.ZodObject, Map<string, z.ZodObject>>();

function withoutKeys(schema: z.ZodObject, mask: Record<string, true>): z.ZodObject {
  const keys = Object.keys(mask).sort();
  if (keys.length === 0) return schema;
  let bySchema = derived.get(schema);
  if (bySchema === undefined) {
    bySchema = new Map();
    derived.set(schema, bySchema);
  }
  const key = keys.join("\n");
  let found = bySchema.get(key);
  if (found === undefined) {
    found = schema.omit(mask as never) as unknown as z.ZodObject;
    bySchema.set(key, found);
  }
  return found;
}

/**
 * Validates what is known. During preview an input that depends on a resource not yet created
 * arrives as the unknown sentinel; such a key is passed through untouched (it is validated on
 * the `up` that knows it), and the rest is validated and normalized as usual.
 */
export function validateKnownInputs(
  schema: z.ZodObject,
  news: Readonly<Record<string, unknown>>,
): KnownInputs {
  const raw: Record<string, unknown> = { ...news };
  delete raw[PROVIDER_KEY];
  const unknownKeys = new Set(Object.keys(raw).filter((key) => containsUnknown(raw[key])));
  const failures: CheckFailure[] = [];
  const mask: Record<string, true> = {};
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!unknownKeys.has(key)) known[key] = value;
    else if (key in schema.shape) mask[key] = true;
    else failures.push({ property: key, reason: `\`${key}\` is not an input of this resource` });
  }
  const result = withoutKeys(schema, mask).safeParse(known);
  if (!result.success) {
    failures.push(...issueFailures(result.error.issues));
    return { inputs: raw, unknownKeys, failures };
  }
  const inputs: Record<string, unknown> = { ...(result.data as Record<string, unknown>) };
  for (const key of unknownKeys) inputs[key] = raw[key];
  return { inputs, unknownKeys, failures };
}

/** Sorted and without duplicates: the form two set-valued inputs are compared in. */
export function normalizeSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Without duplicates, first occurrence kept, in the order given: how a set-valued input is
 * stored. Keeping the declared order (not sorting) means adding one element to a program's list
 * shows as one `+` line in `pulumi preview --diff`, which compares arrays by position; the diff
 * itself compares {@link normalizeSet} forms, so a pure reorder is still no change.
 */
export function withoutDuplicates(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Whether two string lists hold the same set (order and duplicates ignored). */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify(normalizeSet(a)) === JSON.stringify(normalizeSet(b));
}
