import { oauthClientMetadataSchema } from "../../sdk/schemas/oauth-client-metadata";
import type { OAuthClientMetadata } from "../../sdk/schemas/oauth-client-metadata";
import { deepFreeze } from "./deep-freeze";

/** Distinct stored metadata documents kept parsed; past it the cache starts over. */
const MAX_PARSED = 1000;
const parsed = new Map<string, OAuthClientMetadata>();

/**
 * A client's stored metadata, parsed with its schema once per stored version. Every token request
 * reads its client, and the schema (URLs, keys, enums) costs more than the query, so the result is
 * kept by the stored text itself: any change to the row is another text and parses afresh, with
 * no invalidation to miss across instances. The cached value is frozen, deeply, because every
 * reader shares it; code that changes metadata builds a copy (`structuredClone`, a spread).
 */
export function parseStoredMetadata(
  stored: unknown,
  decode: (stored: unknown) => unknown,
): OAuthClientMetadata {
  // SQLite hands back the JSON text, PostgreSQL the decoded document.
  const text = typeof stored === "string" ? stored : JSON.stringify(stored);
  let metadata = parsed.get(text);
  if (metadata === undefined) {
    metadata = deepFreeze(oauthClientMetadataSchema.parse(decode(stored)));
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, metadata);
  }
  return metadata;
}
