import type { z } from "zod";
import { formatIssuePath } from "../sdk/issue-path";
import { ApiError } from "./errors";
import type { FieldIssue } from "./errors";

/** Where a value came from; it prefixes messages about the value as a whole. */
export type InputLocation = "body" | "query";

/** At most this many problems are listed in one message; the rest are counted. */
const MAX_LISTED_ISSUES = 5;

/**
 * Parses request input with its contract schema, or throws a 400 whose message names every
 * offending field (`scope[2]: a scope must be at most 280 characters`). Only the zod messages
 * (which come from our own schemas) and field paths reach the wire, never the input values.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  location: InputLocation,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ApiError(
    400,
    location === "body" ? "invalid_body" : "invalid_query_string",
    describeIssues(result.error.issues, location),
    { fields: fieldIssues(result.error.issues, location) },
  );
}

/** Each failing field once, by path, with its message (every one, not only the first five). */
export function fieldIssues(
  issues: readonly z.core.$ZodIssue[],
  location: InputLocation,
): FieldIssue[] {
  const fields = new Map<string, string>();
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const field = formatIssuePath([...issue.path, key]);
        if (!fields.has(field)) fields.set(field, "unknown field");
      }
    } else {
      const field = formatIssuePath(issue.path) || location;
      if (!fields.has(field)) fields.set(field, issueMessage(issue));
    }
  }
  return [...fields].map(([field, message]) => ({ field, message }));
}

/** `path: message` for each issue, joined with `; `. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  location: InputLocation,
): string {
  const lines: string[] = [];
  // One problem per field: after a type error, zod may also report checks that cannot apply.
  const described = new Set<string>();
  const add = (path: string, message: string) => {
    if (described.has(path)) return;
    described.add(path);
    lines.push(`${path}: ${message}`);
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(formatIssuePath([...issue.path, key]), "unknown field");
    } else {
      add(formatIssuePath(issue.path) || location, issueMessage(issue));
    }
  }
  const listed = lines.slice(0, MAX_LISTED_ISSUES);
  const more = lines.length - listed.length;
  return more > 0 ? `${listed.join("; ")}; and ${more} more` : listed.join("; ");
}

// zod's wording for a missing property ("expected string, received undefined") reads as a
// type error; say what the caller has to do instead.
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) {
    return "is required";
  }
  return issue.message;
}
