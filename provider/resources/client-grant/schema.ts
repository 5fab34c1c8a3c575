import { z } from "zod";
import {
  authorizationDetailsTypeSchema,
  createClientGrantRequestSchema,
  organizationUsageSchema,
  scopeSchema,
  subjectTypeSchema,
} from "../../../sdk/schemas/client-grant";
import type { CheckFailure } from "../../shared/check-inputs";

/**
 * The inputs of `grants:ClientGrant`. An absent optional input means the API's default, filled
 * in by `check`, so a program that omits it and a grant that omits it never differ.
 */
export const clientGrantInputsSchema = z.strictObject({
  clientId: z.string().min(1, "clientId must not be empty"),
  audience: createClientGrantRequestSchema.shape.audience,
  scopes: z.array(scopeSchema).default([]),
  allowAllScopes: z.boolean().default(false),
  organizationUsage: organizationUsageSchema.default("deny"),
  allowAnyOrganization: z.boolean().default(false),
  subjectType: subjectTypeSchema.default("client"),
  authorizationDetailsTypes: z.array(authorizationDetailsTypeSchema).default([]),
  /**
   * The client's name, for people reading a preview or a review: never sent to the API and
   * never a change of its own (a grant has no name on the server).
   */
  clientName: z.string().min(1, "clientName must not be empty").optional(),
});
export type ClientGrantInputs = z.infer<typeof clientGrantInputsSchema>;

/** State: the inputs (API defaults filled in) plus `isSystem`. Old state is read leniently. */
export const clientGrantOutputsSchema = z.object({
  clientId: z.string(),
  audience: z.string(),
  scopes: z.array(z.string()).default([]),
  allowAllScopes: z.boolean().default(false),
  organizationUsage: organizationUsageSchema.default("deny"),
  allowAnyOrganization: z.boolean().default(false),
  subjectType: z.string().default("client"),
  authorizationDetailsTypes: z.array(z.string()).default([]),
  isSystem: z.boolean().default(false),
  clientName: z.string().optional(),
});
export type ClientGrantOutputs = z.infer<typeof clientGrantOutputsSchema>;

/** The inputs the API holds: a difference in any of them is a change. `clientName` is not one. */
export const clientGrantInputKeys = [
  "clientId",
  "audience",
  "scopes",
  "allowAllScopes",
  "organizationUsage",
  "allowAnyOrganization",
  "subjectType",
  "authorizationDetailsTypes",
] as const satisfies readonly (keyof ClientGrantInputs)[];

/**
 * The Management API's PATCH accepts only scope, organization and authorization-details fields;
 * the grant's identity (client, audience, subject type) cannot change, so it forces replacement.
 */
export const clientGrantReplaceKeys = [
  "clientId",
  "audience",
  "subjectType",
] as const satisfies readonly (keyof ClientGrantInputs)[];

/**
 * Order and duplicates carry no meaning for these: they are compared as sets, and stored
 * deduplicated in the order the program declares them.
 */
export const clientGrantSetKeys = [
  "scopes",
  "authorizationDetailsTypes",
] as const satisfies readonly (keyof ClientGrantInputs)[];

/** Rules across inputs; skipped while either input is unknown (preview). */
export function clientGrantCrossFieldFailures(
  inputs: Readonly<Record<string, unknown>>,
  unknownKeys: ReadonlySet<string>,
): CheckFailure[] {
  if (unknownKeys.has("scopes") || unknownKeys.has("allowAllScopes")) return [];
  const scopes = inputs["scopes"];
  if (inputs["allowAllScopes"] === true && Array.isArray(scopes) && scopes.length > 0) {
    return [
      {
        property: "scopes",
        reason: "`scopes` must be empty (or left out) when `allowAllScopes` is true",
      },
    ];
  }
  return [];
}
