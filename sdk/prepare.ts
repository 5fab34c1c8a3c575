// Turns an endpoint descriptor and the caller's arguments into a request: the URL under the
// dialect's base, the headers, and a body validated strictly against the endpoint's schema.
import { randomUUID } from "node:crypto";
import { parseArgument } from "./arguments";
import type { Endpoint } from "./endpoints/endpoint";
import { expandPath } from "./endpoints/endpoint";
import type { PreparedCall } from "./request";
import { USER_AGENT } from "./version";

/** `base` + `path`, keeping any path the base already has (`https://host/api/v2` + `/x`). */
export function joinUrl(base: URL, path: string): URL {
  return new URL(base.href.replace(/\/+$/, "") + path);
}

/** Headers every request carries. */
export function baseHeaders(): Record<string, string> {
  return { "user-agent": USER_AGENT, accept: "application/json" };
}

export interface JsonCallInput {
  /** What the endpoint's path is relative to (its dialect's base URL). */
  readonly base: URL;
  /** The bearer token, sent when the endpoint is authenticated. */
  readonly token?: string;
  /**
   * Send `token` as the password of HTTP Basic with this user name instead of as a bearer
   * token (the nevisMeta dialect authenticates so).
   */
  readonly basicUser?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: unknown;
  readonly queryName?: string;
  readonly body?: unknown;
  readonly bodyName?: string;
  readonly safeToRepeat?: boolean;
}

function appendQuery(url: URL, query: unknown): void {
  if (typeof query !== "object" || query === null) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    url.searchParams.set(key, String(value));
  }
}

/** Prepares a JSON call; throws a TypeError naming the argument when body or query break the contract. */
export function prepareJsonCall(endpoint: Endpoint, input: JsonCallInput): PreparedCall {
  const url = joinUrl(input.base, expandPath(endpoint.path, input.params ?? {}));
  if (endpoint.query !== undefined && input.query !== undefined) {
    appendQuery(url, parseArgument(endpoint.query, input.query, input.queryName ?? "query"));
  }
  const headers = baseHeaders();
  if (endpoint.authenticated && input.token !== undefined) {
    headers.authorization =
      input.basicUser === undefined
        ? `Bearer ${input.token}`
        : `Basic ${Buffer.from(`${input.basicUser}:${input.token}`).toString("base64")}`;
  }
  let body: string | undefined;
  if (endpoint.body !== undefined) {
    body = JSON.stringify(parseArgument(endpoint.body, input.body, input.bodyName ?? "body"));
    headers["content-type"] = "application/json";
  }
  // One key per logical create, sent on every attempt: a server that honours keys answers a
  // repeat with the first answer instead of creating twice; one that does not ignores it.
  let idempotencyKey: string | undefined;
  if (endpoint.method === "POST" && input.safeToRepeat !== true) {
    idempotencyKey = randomUUID();
    headers["idempotency-key"] = idempotencyKey;
  }
  return { endpoint, url, headers, body, safeToRepeat: input.safeToRepeat, idempotencyKey };
}
