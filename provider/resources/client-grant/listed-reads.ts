import { performance } from "node:perf_hooks";
import type { ClientGrant } from "../../../sdk/index";
import type { GrantsClient } from "../../shared/grants-client";

// `pulumi refresh` reads every grant of the stack at once. One GET per grant costs N requests,
// and N / limit seconds against an Auth0 tenant's rate limit (2 a second by default); a listing
// by client answers up to 100 grants per request. So the reads of one provider process share
// one listing per (API client, client id), and a grant missing from it is read by id, which
// answers 404 when it is really gone. A listing answers only reads that start within
// LISTING_REUSE_MS of it and before this process writes a grant: a write, or a later
// operation, gets a fresh one.

/** How long one listing answers the reads that follow it. */
export const LISTING_REUSE_MS = 10_000;

interface Listing {
  readonly startedAt: number;
  /** The client's grants by id; `undefined` when the listing failed (reads fall back to GET). */
  readonly grants: Promise<ReadonlyMap<string, ClientGrant> | undefined>;
}

let listings = new WeakMap<GrantsClient, Map<string, Listing>>();

function listingOf(client: GrantsClient, clientId: string, now: number): Listing {
  let byClientId = listings.get(client);
  if (byClientId === undefined) {
    byClientId = new Map();
    listings.set(client, byClientId);
  }
  const found = byClientId.get(clientId);
  if (found !== undefined && now - found.startedAt <= LISTING_REUSE_MS) return found;
  const listing: Listing = {
    startedAt: now,
    grants: (async () => {
      const grants = new Map<string, ClientGrant>();
      for await (const grant of client.clientGrants.list(
        { client_id: clientId },
        { pageSize: 100 },
      )) {
        grants.set(grant.id, grant);
      }
      return grants;
    })().catch(() => undefined),
  };
  byClientId.set(clientId, listing);
  return listing;
}

/**
 * The grant `id`, from this process's listing of `clientId`'s grants when it holds it, else
 * from `GET /client-grants/{id}` (whose 404 says the grant is gone). Without a client id (an
 * import, or state that lacks it) it is always the GET.
 */
export async function readGrant(
  client: GrantsClient,
  id: string,
  clientId: string | undefined,
  now: number = performance.now(),
): Promise<ClientGrant> {
  if (clientId !== undefined && clientId !== "") {
    const listed = (await listingOf(client, clientId, now).grants)?.get(id);
    if (listed !== undefined) return listed;
  }
  return client.clientGrants.get(id);
}

/** Forgets every listing: called on each grant this process creates, updates or deletes. */
export function forgetGrantListings(): void {
  listings = new WeakMap();
}
