import { z } from "zod";

/** One row of `pulumi-grants access`: a client may get tokens for an API with these scopes. */
export const accessEntrySchema = z.object({
  client: z.string(),
  clientId: z.string(),
  audience: z.string(),
  /** `["*"]` when the grant allows every scope of the API. */
  scopes: z.array(z.string()),
  allowAllScopes: z.boolean(),
  subjectType: z.string(),
});
export type AccessEntry = z.infer<typeof accessEntrySchema>;

export interface AccessFilter {
  readonly audience?: string;
  /** A client's name or id. */
  readonly client?: string;
  /** Rows that allow this scope (an allow-all grant allows every scope). */
  readonly scope?: string;
}

/** The rows that match every given filter, sorted by client, then API. */
export function filterAccess(entries: readonly AccessEntry[], filter: AccessFilter): AccessEntry[] {
  return entries
    .filter((entry) => filter.audience === undefined || entry.audience === filter.audience)
    .filter(
      (entry) =>
        filter.client === undefined ||
        entry.client === filter.client ||
        entry.clientId === filter.client,
    )
    .filter(
      (entry) =>
        filter.scope === undefined || entry.allowAllScopes || entry.scopes.includes(filter.scope),
    )
    .sort(
      (a, b) =>
        a.client.localeCompare(b.client) ||
        a.audience.localeCompare(b.audience) ||
        a.subjectType.localeCompare(b.subjectType),
    );
}

/** A grant in either source's terms, turned into a row. */
export function accessEntry(grant: {
  clientId: string;
  clientName: string | undefined;
  audience: string;
  scopes: readonly string[];
  allowAllScopes: boolean;
  subjectType: string | undefined;
}): AccessEntry {
  return {
    client: grant.clientName ?? grant.clientId,
    clientId: grant.clientId,
    audience: grant.audience,
    // Sorted here: the table answers "who may", where order means nothing.
    scopes: grant.allowAllScopes ? ["*"] : [...new Set(grant.scopes)].sort(),
    allowAllScopes: grant.allowAllScopes,
    subjectType: grant.subjectType ?? "client",
  };
}
