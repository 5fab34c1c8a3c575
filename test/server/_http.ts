import type { TestServer } from "../support/grant-server";

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined when the body is empty. */
  body: unknown;
  text: string;
}

export interface RequestOptions {
  /** JSON-encoded unless it is a string (sent as is). */
  body?: unknown;
  /** Bearer token; defaults to the server's admin token, `null` sends none. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** One HTTP call against a test server, with the admin token unless told otherwise. */
export async function call(
  server: Pick<TestServer, "url" | "adminToken">,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? server.adminToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Fails the test with the body when the status is not the expected one. */
export function expectStatus(result: HttpResult, status: number): HttpResult {
  if (result.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${result.status}: ${result.text}`);
  }
  return result;
}
