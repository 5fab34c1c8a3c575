import { z } from "zod";

/**
 * The parts of `pulumi preview --json` (and `--refresh --json`) that the review reads. Lenient
 * on purpose: the engine adds fields between versions, and a review must not fail on them.
 */
const resourceStateSchema = z.looseObject({
  urn: z.string(),
  type: z.string(),
  id: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});
export type ResourceState = z.infer<typeof resourceStateSchema>;

const stepSchema = z.looseObject({
  op: z.string(),
  urn: z.string(),
  oldState: resourceStateSchema.optional(),
  newState: resourceStateSchema.optional(),
  replaceReasons: z.array(z.string()).optional(),
});
export type PreviewStep = z.infer<typeof stepSchema>;

export const previewJsonSchema = z.looseObject({
  // Required: the engine lists the stack itself even in a preview without changes, so JSON with
  // no `steps` (a stack export, `pulumi stack output --json`, …) is not a preview, and reading it
  // as "no change" would pass a review that saw nothing.
  steps: z.array(stepSchema, {
    error: (issue) =>
      issue.input === undefined
        ? "no `steps` list (every preview lists at least the stack)"
        : "`steps` is not a list",
  }),
  changeSummary: z.record(z.string(), z.number()).optional(),
});
export type PreviewJson = z.infer<typeof previewJsonSchema>;

/** The engine's marker for a value not known until apply (a resource not created yet). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How `pulumi preview --json` prints a secret without `--show-secrets`. */
export const SECRET_VALUE = "[secret]";

/** The resource kind of a grants resource type (dynamic or native), else `undefined`. */
export function grantsKind(type: string): "Provider" | "Client" | "ClientGrant" | undefined {
  // Dynamic resources: `pulumi-nodejs:dynamic/grants:ClientGrant`; a native plugin would use
  // `grants:index:ClientGrant`.
  const match = /(?:^|\/|:)grants:(?:index:)?(Provider|Client|ClientGrant)$/.exec(type);
  return match?.[1] as "Provider" | "Client" | "ClientGrant" | undefined;
}

/** The resource's name, the last part of its URN. */
export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
