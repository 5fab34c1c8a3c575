// Walks every page of GET /client-grants. Checkpoint paging (from/take) is preferred: it stays
// correct while grants are added or removed during the walk. Servers that answer without a
// cursor get offset paging (page/per_page/include_totals) instead.
import type { ClientGrant, ListClientGrantsResponse } from "./wire-types";

/** How {@link ClientGrantsApi.list} pages: `auto` tries checkpoint paging and falls back to offsets. */
export type PagingMode = "auto" | "checkpoint" | "offset";

/** The query parameters one page request adds to the caller's filters. */
export type PageQuery =
  | { readonly take: number; readonly from?: string }
  | { readonly page: number; readonly per_page: number; readonly include_totals: true };

/** One fetched page and the URL it came from (for errors). */
export interface FetchedPage {
  readonly page: ListClientGrantsResponse;
  readonly url: URL;
}

export interface WalkOptions {
  readonly pageSize: number;
  readonly paging: PagingMode;
  /** Builds the GRANTS_INVALID_RESPONSE error for a page that cannot be walked. */
  readonly invalid: (url: URL, detail: string) => Error;
}

type OffsetPage = Extract<ListClientGrantsResponse, { total: number }>;
type CheckpointPage = Exclude<ListClientGrantsResponse, ClientGrant[] | OffsetPage>;

function isOffsetPage(page: ListClientGrantsResponse): page is OffsetPage {
  return !Array.isArray(page) && "total" in page;
}

function isCheckpointPage(page: ListClientGrantsResponse): page is CheckpointPage {
  return !Array.isArray(page) && !("total" in page);
}

// Upper bound on pages, so a server that never stops answering full pages cannot make a
// `for await` loop run forever: 100 000 pages of 100 is ten million grants.
const MAX_PAGES = 100_000;

/**
 * Yields every client grant once, fetching pages lazily as the caller iterates. Stopping the
 * iteration early stops fetching.
 */
export async function* walkClientGrants(
  fetchPage: (query: PageQuery) => Promise<FetchedPage>,
  options: WalkOptions,
): AsyncGenerator<ClientGrant, void, undefined> {
  const { pageSize, paging, invalid } = options;
  let lastUrl: URL | undefined;
  if (paging !== "offset") {
    const cursors = new Set<string>();
    let from: string | undefined;
    for (let count = 0; count < MAX_PAGES; count += 1) {
      const { page, url } = await fetchPage(
        from === undefined ? { take: pageSize } : { take: pageSize, from },
      );
      lastUrl = url;
      if (!isCheckpointPage(page)) {
        // A server without checkpoint paging ignored `take`; its first answer tells us so, and
        // nothing was yielded yet, so offset paging can start from the top without duplicates.
        if (paging === "auto" && from === undefined) break;
        throw invalid(url, "a page without checkpoint paging (no `next` envelope)");
      }
      yield* page.client_grants;
      if (page.next === undefined || page.next === "") return;
      if (cursors.has(page.next)) throw invalid(url, "a `next` cursor it had already sent");
      cursors.add(page.next);
      from = page.next;
    }
    if (from !== undefined && lastUrl !== undefined) {
      throw invalid(lastUrl, `more than ${MAX_PAGES} pages`);
    }
  }
  let previousFirstId: string | undefined;
  for (let index = 0; index < MAX_PAGES; index += 1) {
    const { page, url } = await fetchPage({
      page: index,
      per_page: pageSize,
      include_totals: true,
    });
    lastUrl = url;
    const grants = Array.isArray(page) ? page : page.client_grants;
    if (grants.length === 0) return;
    // A server that ignores `page` answers the first page again and again.
    if (index > 0 && grants[0]?.id === previousFirstId) {
      throw invalid(url, "the same page for different `page` numbers");
    }
    previousFirstId = grants[0]?.id;
    yield* grants;
    if (isOffsetPage(page)) {
      if (page.start + grants.length >= page.total) return;
    } else if (grants.length < pageSize) {
      return;
    }
  }
  if (lastUrl !== undefined) throw invalid(lastUrl, `more than ${MAX_PAGES} pages`);
}
