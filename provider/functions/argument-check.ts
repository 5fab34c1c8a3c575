import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { formatIssuePath } from "../../sdk/issue-path";

/** A caller mistake, coded like Node's own argument errors. */
export function invalidArgument(caller: string, property: string, reason: string): TypeError {
  const error = new TypeError(`${caller}: argument "${property}" is invalid: ${reason}`);
  Object.assign(error, { code: "ERR_INVALID_ARG_VALUE" });
  return error;
}

/**
 * Validates every argument that is a plain value now, so a bad literal fails `pulumi preview`
 * at the call site; arguments that are Outputs are validated again when they resolve.
 */
export function checkPlainArguments(
  caller: string,
  schema: z.ZodObject,
  args: Readonly<Record<string, unknown>>,
): void {
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined || pulumi.Output.isInstance(value) || value instanceof Promise)
      continue;
    const field = schema.shape[key];
    if (field === undefined) throw invalidArgument(caller, key, "not an argument of this function");
    if (Array.isArray(value) && value.some((item) => pulumi.Output.isInstance(item))) continue;
    const result = field.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw invalidArgument(
        caller,
        formatIssuePath([key, ...(issue?.path ?? [])]),
        issue?.message ?? "invalid",
      );
    }
  }
}

/** Validates resolved arguments; the same errors as {@link checkPlainArguments}. */
export function parseArguments<S extends z.ZodObject>(
  caller: string,
  schema: S,
  args: unknown,
): z.infer<S> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw invalidArgument(caller, formatIssuePath(issue?.path ?? []), issue?.message ?? "invalid");
}
