import { InvalidCursorError } from "./store";
import type { ClientGrantListing, ClientGrantPage, ClientGrantRecord } from "./store";

// Both stores order grants by a never-reused integer position; the cursor wraps the position
// of the last grant a client saw. Clients treat it as opaque (base64url of `cg:<position>`).

export function encodePositionCursor(position: number | bigint | string): string {
  return Buffer.from(`cg:${position}`, "utf8").toString("base64url");
}

/** The position inside a cursor; 0 (before the first grant) when there is none. */
export function decodePositionCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^cg:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new InvalidCursorError();
  return Number(match[1]);
}

/**
 * A listing from the rows of a grant query. For checkpoint pages the query asked for one row
 * more than the page: its presence means another page exists, and the cursor points after the
 * last row kept.
 */
export function grantListing<R extends { readonly position?: unknown }>(
  rows: readonly R[],
  page: ClientGrantPage,
  toRecord: (row: R) => ClientGrantRecord,
): ClientGrantListing {
  if (page.kind !== "after") return { grants: rows.map(toRecord) };
  const kept = rows.slice(0, page.limit);
  const listing: ClientGrantListing = { grants: kept.map(toRecord) };
  if (rows.length > page.limit && kept.length > 0) {
    listing.next = encodePositionCursor(String(kept[kept.length - 1]!.position));
  }
  return listing;
}
