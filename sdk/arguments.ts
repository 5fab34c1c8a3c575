// Guards for caller mistakes. They throw TypeErrors stamped with Node's ERR_INVALID_ARG_* codes
// and quote the argument's path, never its value: the value may be a token or a secret.
import type { z } from "zod";
import { formatIssuePath } from "./issue-path";

import type { InvalidArgumentError } from "./invalid-argument-error";

export type { InvalidArgumentError } from "./invalid-argument-error";

export function invalidArgument(
  code: InvalidArgumentError["code"],
  message: string,
  issues?: InvalidArgumentError["issues"],
): InvalidArgumentError {
  const error = new TypeError(message) as TypeError & {
    code: InvalidArgumentError["code"];
    issues?: InvalidArgumentError["issues"];
  };
  error.code = code;
  if (issues !== undefined) error.issues = issues;
  Error.captureStackTrace?.(error, invalidArgument);
  return error;
}

export function assertNonEmptyString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") {
    throw invalidArgument("ERR_INVALID_ARG_TYPE", `"${name}" must be a non-empty string`);
  }
  if (value.length === 0) {
    throw invalidArgument("ERR_INVALID_ARG_VALUE", `"${name}" must be a non-empty string`);
  }
}

export function assertOptionalObject(
  value: unknown,
  name: string,
): asserts value is object | undefined {
  if (
    value !== undefined &&
    (typeof value !== "object" || value === null || Array.isArray(value))
  ) {
    throw invalidArgument("ERR_INVALID_ARG_TYPE", `"${name}" must be an object`);
  }
}

/** The longest delay Node timers support; larger values would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A whole or fractional number of milliseconds a timer can wait: (0 or 1)…2^31−1. */
export function assertDurationMs(
  value: unknown,
  name: string,
  { allowZero }: { allowZero: boolean },
): asserts value is number {
  const lower = allowZero ? 0 : 1;
  const message = `"${name}" must be a number of milliseconds from ${lower} to ${MAX_TIMER_MS}`;
  if (typeof value !== "number") throw invalidArgument("ERR_INVALID_ARG_TYPE", message);
  if (!Number.isFinite(value) || value < lower || value > MAX_TIMER_MS) {
    throw invalidArgument("ERR_INVALID_ARG_VALUE", message);
  }
}

export function assertInteger(
  value: unknown,
  name: string,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== "number") {
    throw invalidArgument(
      "ERR_INVALID_ARG_TYPE",
      `"${name}" must be an integer from ${min} to ${max}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"${name}" must be an integer from ${min} to ${max}`,
    );
  }
}

/**
 * An absolute http(s) URL without credentials, query or fragment; returns it parsed. Secrets
 * belong in the token options, where they are never printed.
 */
export function parseBaseUrl(value: unknown, name: string): URL {
  assertNonEmptyString(value, name);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument("ERR_INVALID_ARG_VALUE", `"${name}" must be an absolute http(s) URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidArgument("ERR_INVALID_ARG_VALUE", `"${name}" must be an absolute http(s) URL`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidArgument("ERR_INVALID_ARG_VALUE", `"${name}" must not contain credentials`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw invalidArgument("ERR_INVALID_ARG_VALUE", `"${name}" must not have a query or a fragment`);
  }
  return url;
}

const UNKNOWN_PROPERTY = "not a known property";

/**
 * Validates `value` against a request schema and returns zod's output. The first issue becomes
 * the message; all of them travel on `issues`. Zod 4 issues do not carry the input, so no value
 * leaks through them.
 */
export function parseArgument<S extends z.ZodType>(
  schema: S,
  value: unknown,
  name: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) =>
    // One issue per unknown key, so the path names the key the caller mistyped.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          path: formatIssuePath([...issue.path, key], name),
          message: UNKNOWN_PROPERTY,
        }))
      : [{ path: formatIssuePath(issue.path, name), message: issue.message }],
  );
  const first = result.error.issues[0];
  const code = first?.code === "invalid_type" ? "ERR_INVALID_ARG_TYPE" : "ERR_INVALID_ARG_VALUE";
  const head = issues[0] ?? { path: name, message: "is invalid" };
  const sentence =
    head.message === UNKNOWN_PROPERTY
      ? `"${head.path}" is not a known property`
      : `"${head.path}" is invalid: ${head.message}`;
  throw invalidArgument(code, sentence, issues);
}
