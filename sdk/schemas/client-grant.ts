import { z } from "zod";
import { identifierSchema, queryBooleanSchema, queryIntegerSchema, strictText } from "./common";

export const organizationUsageSchema = z.enum(["deny", "allow", "require"]);
export type OrganizationUsage = z.infer<typeof organizationUsageSchema>;

export const subjectTypeSchema = z.enum(["client", "user"]);
export type SubjectType = z.infer<typeof subjectTypeSchema>;

/**
 * A scope token of RFC 6749 §3.3: printable ASCII without space, `"` or `\`. Tokens carry
 * scopes as one space-separated string, so a granted scope with a space in it would reach a
 * relying party as two scopes: more than the grant names.
 */
export const SCOPE_TOKEN_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Auth0 limits: a scope is 1–280 characters, an authorization details type 1–255. */
export const scopeSchema = z
  .string()
  .min(1, "a scope must not be empty")
  .max(280, "a scope must be at most 280 characters")
  .regex(
    SCOPE_TOKEN_PATTERN,
    "a scope must be printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)",
  );
export const authorizationDetailsTypeSchema = strictText(
  z
    .string()
    .min(1, "an authorization details type must not be empty")
    .max(255, "an authorization details type must be at most 255 characters"),
);

const scopesExcludeAllowAll = (
  body: { scope?: string[] | null | undefined; allow_all_scopes?: boolean | null | undefined },
  ctx: z.RefinementCtx,
) => {
  if (body.allow_all_scopes === true && body.scope && body.scope.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["scope"],
      message: "`scope` must be empty when `allow_all_scopes` is true",
    });
  }
};

/** `POST /api/v2/client-grants` body (Auth0 Management API, snake_case, no unknown keys). */
export const createClientGrantRequestSchema = z
  .strictObject({
    client_id: identifierSchema("client_id"),
    audience: identifierSchema("audience"),
    scope: z.array(scopeSchema).optional(),
    organization_usage: organizationUsageSchema.optional(),
    allow_any_organization: z.boolean().optional(),
    subject_type: subjectTypeSchema.optional(),
    authorization_details_types: z.array(authorizationDetailsTypeSchema).optional(),
    allow_all_scopes: z.boolean().optional(),
  })
  .superRefine(scopesExcludeAllowAll);
export type CreateClientGrantRequest = z.infer<typeof createClientGrantRequestSchema>;

/**
 * `PATCH /api/v2/client-grants/{id}` body: only the mutable fields, at least one of them.
 * `client_id`, `audience` and `subject_type` cannot change; a grant must be replaced instead.
 */
export const updateClientGrantRequestSchema = z
  .strictObject({
    scope: z.array(scopeSchema).nullable().optional(),
    organization_usage: organizationUsageSchema.nullable().optional(),
    allow_any_organization: z.boolean().nullable().optional(),
    authorization_details_types: z.array(authorizationDetailsTypeSchema).optional(),
    allow_all_scopes: z.boolean().nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: "the body must set at least one property",
    // Only when nothing else is wrong: a body holding just an unknown key is empty once parsed,
    // and "unknown field" is the message that helps there.
    when: (payload) => payload.issues.length === 0,
  })
  .superRefine(scopesExcludeAllowAll);
export type UpdateClientGrantRequest = z.infer<typeof updateClientGrantRequestSchema>;

/**
 * A client grant as Auth0 returns it: unset optional fields are omitted, so absent means the
 * API default (`organization_usage` deny, `allow_any_organization` false, `subject_type` client).
 */
export const clientGrantSchema = z.object({
  id: z.string().min(1),
  // Absent on an Auth0 grant made `default_for` all third-party clients; such a grant can sit in
  // any tenant's listing, so it must parse (this API never creates one).
  client_id: z.string().optional(),
  default_for: z.string().optional(),
  audience: z.string(),
  scope: z.array(z.string()).optional(),
  organization_usage: organizationUsageSchema.optional(),
  allow_any_organization: z.boolean().optional(),
  is_system: z.boolean().optional(),
  subject_type: z.enum(["client", "user", "anonymous_user"]).optional(),
  authorization_details_types: z.array(z.string()).optional(),
  allow_all_scopes: z.boolean().optional(),
});
export type ClientGrant = z.infer<typeof clientGrantSchema>;

/** `GET /api/v2/client-grants` query: filters, offset paging or checkpoint paging. */
export const listClientGrantsQuerySchema = z.strictObject({
  audience: identifierSchema("audience").optional(),
  client_id: identifierSchema("client_id").optional(),
  allow_any_organization: queryBooleanSchema.optional(),
  subject_type: subjectTypeSchema.optional(),
  per_page: queryIntegerSchema(1, 100).optional(),
  page: queryIntegerSchema(0).optional(),
  include_totals: queryBooleanSchema.optional(),
  from: z.string().min(1).optional(),
  take: queryIntegerSchema(1, 100).optional(),
});
export type ListClientGrantsQuery = z.input<typeof listClientGrantsQuerySchema>;

export const clientGrantArraySchema = z.array(clientGrantSchema);

/** The `include_totals=true` envelope of offset paging. */
export const clientGrantOffsetPageSchema = z.object({
  start: z.number(),
  limit: z.number(),
  total: z.number(),
  client_grants: z.array(clientGrantSchema),
});

/** The checkpoint envelope: `next` is the cursor for `from`; absent on the last page. */
export const clientGrantCheckpointPageSchema = z.object({
  client_grants: z.array(clientGrantSchema),
  next: z.string().optional(),
});

export const listClientGrantsResponseSchema = z.union([
  clientGrantArraySchema,
  clientGrantOffsetPageSchema,
  clientGrantCheckpointPageSchema,
]);
export type ListClientGrantsResponse = z.infer<typeof listClientGrantsResponseSchema>;
