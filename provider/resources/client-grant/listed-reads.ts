import { performance } from "node:perf_hooks";
import type { ClientGrant } from "../../../sdk/index";
import type { GrantsClient } from "../../shared/grants-client";

// `pulumi refresh` reads every grant of the stack at once. One GET per grant costs N requests,
// and N / limit seconds against an Auth0 tenant's rate limit (2 a second by default); a listing
// by client answers up to 100 grants per request. So the reads of one provider process share
// one listing per (API client, client id), and a grant missing from it is read by id, which
// answers 404 when it is really gone.
//
// A listing costs one request per 100 of the client's grants on the server, however few the
// stack holds, so it is only made when it can pay: the first read of a client is a GET, the
// second starts the listing, and a listing stops (its reads fall back to GETs) past
// MAX_LISTING_PAGES. And it is only trusted while fresh: it answers reads that start within
// LISTING_REUSE_MS of it and before this process writes a grant.

/** How long one listing answers the reads that follow it. */
export const LISTING_REUSE_MS = 10_000;

/** The most pages (of 100) one listing reads: a client with more grants is read grant by grant. */
export const MAX_LISTING_PAGES = 5;

const PAGE_SIZE = 100;

interface ClientReads {
  readonly startedAt: number;
  /** The client's grants by id once listed; `undefined` when the listing failed or was cut. */
  listing?: Promise<ReadonlyMap<string, ClientGrant> | undefined>;
}

let reads = new WeakMap<GrantsClient, Map<string, ClientReads>>();

async function listGrants(
  client: GrantsClient,
  clientId: string,
): Promise<ReadonlyMap<string, ClientGrant> | undefined> {
  const grants = new Map<string, ClientGrant>();
  const pages = client.clientGrants.list({ client_id: clientId }, { pageSize: PAGE_SIZE });
  for await (const grant of pages) {
    // Leaving the loop closes the pages: no further page is asked for.
    if (grants.size === MAX_LISTING_PAGES * PAGE_SIZE) return undefined;
    grants.set(grant.id, grant);
  }
  return grants;
}

/** The listing a read of `clientId` may use, or `undefined` when this read should GET. */
function listingFor(
  client: GrantsClient,
  clientId: string,
  now: number,
): Promise<ReadonlyMap<string, ClientGrant> | undefined> | undefined {
  let byClientId = reads.get(client);
  if (byClientId === undefined) {
    byClientId = new Map();
    reads.set(client, byClientId);
  }
  const seen = byClientId.get(clientId);
  if (seen === undefined || now - seen.startedAt > LISTING_REUSE_MS) {
    byClientId.set(clientId, { startedAt: now });
    return undefined;
  }
  seen.listing ??= listGrants(client, clientId).catch(() => undefined);
  return seen.listing;
}

/**
 * The grant `id`: from this process's listing of `clientId`'s grants when it holds it, else
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
    const listed = (await listingFor(client, clientId, now))?.get(id);
    if (listed !== undefined) return listed;
  }
  return client.clientGrants.get(id);
}

/** Forgets every listing: called on each grant this process creates, updates or deletes. */
export function forgetGrantListings(): void {
  reads = new WeakMap();
}
