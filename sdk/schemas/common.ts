import { z } from "zod";

/** ISO-8601 timestamp as the APIs send it (`2024-12-31T23:59:59.000Z`). */
export const timestampSchema = z.string().min(1);

/** useGrant resource ids are UUIDs; the hosted service only promises a non-empty string. */
export const resourceIdSchema = z.string().min(1);

/**
 * A boolean as it travels in a query string (`true` / `false`), or a real boolean when the
 * caller builds the query in code. The output is always a boolean.
 */
export const queryBooleanSchema = z.union([
  z.boolean(),
  z.enum(["true", "false"]).transform((value) => value === "true"),
]);

/** A whole number as it travels in a query string, or a number when built in code. */
export function queryIntegerSchema(min: number, max?: number) {
  const base = z.coerce.number<string | number>().int().min(min);
  return max === undefined ? base : base.max(max);
}
