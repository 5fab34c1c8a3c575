import { deepFreeze } from "./deep-freeze";

/** Entries kept at most; past it the cache starts over. */
const MAX_ENTRIES = 10_000;

/**
 * Reads kept in memory until the database changes. `mark` reads what changes with any commit
 * (the SQLite store: `PRAGMA data_version`, which moves when another connection commits, and
 * `total_changes()`, which moves with this connection's own writes); when it differs from the mark
 * the entries were read under, they are all dropped before anything is answered. So a revoked
 * grant or a rotated secret is seen by the very next request, whichever process wrote it: the
 * cache saves the query, never the check.
 *
 * Values are frozen, because every reader shares them. Keys are exact: callers build them so
 * that two different inputs never give one key.
 */
export class UntilChangedCache<V extends object> {
  readonly #mark: () => string;
  readonly #entries = new Map<string, V>();
  #markOfEntries: string | undefined;

  constructor(mark: () => string) {
    this.#mark = mark;
  }

  /**
   * The value for `key`: the kept one if the database is unchanged since it was read, else what
   * `read` returns now. Only what `keep` accepts is kept (callers keep what only existing rows
   * can produce, so requests for made-up keys cannot fill the cache).
   */
  get(key: string, read: () => V | undefined, keep: (value: V) => boolean): V | undefined {
    const mark = this.#mark();
    if (mark !== this.#markOfEntries) {
      this.#entries.clear();
      this.#markOfEntries = mark;
    }
    const kept = this.#entries.get(key);
    if (kept !== undefined) return kept;
    const value = read();
    if (value !== undefined && keep(value)) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(key, deepFreeze(value));
    }
    return value;
  }
}
