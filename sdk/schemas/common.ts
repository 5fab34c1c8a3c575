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

/**
 * The longest identifier-like string the contract accepts (an audience, a client id, a URI, a
 * filter value): room for any real URL, far below the body limit, so a key cannot be used to
 * store kilobytes per grant.
 */
export const MAX_IDENTIFIER_LENGTH = 2048;

// C0 controls (NUL included), DEL and C1 controls: none has a meaning in a name, an audience, a
// URI or an id, and some are dropped or rewritten by other systems, so two strings that differ
// only there would reach a relying party as one.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describeCodePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Adds the checks every text field of the contract carries to a string schema: well-formed
 * UTF-16 (a lone surrogate would be stored as U+FFFD, so two different strings would become one)
 * and no control characters. The message names the character and where it is.
 */
export function strictText<T extends z.ZodString>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    const lone = LONE_SURROGATE.exec(value);
    if (lone !== null) {
      ctx.addIssue({
        code: "custom",
        message: `must be valid Unicode: a lone surrogate (${describeCodePoint(lone[0].charCodeAt(0))}) is at position ${lone.index}`,
      });
      return;
    }
    const match = CONTROL_CHARACTER.exec(value);
    if (match !== null) {
      ctx.addIssue({
        code: "custom",
        message: `must not contain control characters: ${describeCodePoint(match[0].charCodeAt(0))} is at position ${match.index}`,
      });
    }
  }) as T;
}

/** A non-empty identifier (audience, client id, URI, filter value) of at most `max` characters. */
export function identifierSchema(name: string, max: number = MAX_IDENTIFIER_LENGTH) {
  return strictText(
    z
      .string()
      .min(1, `${name} must not be empty`)
      .max(max, `${name} must be at most ${max} characters`),
  );
}
