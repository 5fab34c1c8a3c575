import { z } from "zod";

/** What a change does to access. Widening comes first in every report. */
export const effectSchema = z.enum(["widens", "narrows", "neutral"]);
export type Effect = z.infer<typeof effectSchema>;

export const changeKindSchema = z.enum([
  "scopes-added",
  "scopes-removed",
  "grant-created",
  "grant-deleted",
  "grant-replaced",
  "grant-setting",
  "allow-all-scopes-on",
  "allow-all-scopes-off",
  "client-created",
  "client-deleted",
  "client-replaced",
  "client-setting",
  "secret-rotated",
]);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/**
 * One thing a change (or, on a refreshing preview, the server) does to access: the review's
 * unit, and the shape of `pulumi-grants review --format json`.
 */
export const accessChangeSchema = z.object({
  kind: changeKindSchema,
  effect: effectSchema,
  /** The Pulumi resource (its name in the program) the change belongs to. */
  resource: z.string(),
  resourceType: z.enum(["Client", "ClientGrant"]),
  /** The client's name when the preview or the program names it, else its id. */
  client: z.string(),
  clientId: z.string().optional(),
  /** The API of a grant change. */
  audience: z.string().optional(),
  /** The input the change is about (`scopes`, `audience`, `accessTokenTtlSeconds`…). */
  field: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** Scopes added or removed, or the scopes of a created, deleted or replaced grant. */
  scopes: z.array(z.string()).optional(),
  /** True when this is drift: what the server has differs from the stored state. */
  drift: z.boolean().default(false),
});
export type AccessChange = z.infer<typeof accessChangeSchema>;

export const effectOrder: readonly Effect[] = ["widens", "narrows", "neutral"];
