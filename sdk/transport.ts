// One HTTP attempt over undici: the per-client keep-alive Agent, the timeout combined with the
// caller's signal, and a bounded read of the answer. Retries and error mapping are in ./request.ts.
import type { IncomingHttpHeaders } from "node:http";
import type { Agent as UndiciAgent, Dispatcher } from "undici";

// The two parts of undici the client uses, not its index: the index loads every dispatcher,
// mock, cache and interceptor, which the CPU profile of a dynamic-provider process showed as
// the largest piece of our start-up (≈ 0.2 s of each `pulumi up`/`refresh`/`destroy`'s
// provider process on a 2-core machine; 336 against 133 ms measured loading one or the other).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Agent = require("undici/lib/dispatcher/agent") as typeof UndiciAgent;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requestApi = require("undici/lib/api/api-request") as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

/** undici's `request(url, { dispatcher })`, without loading undici's index for it. */
function undiciRequest(
  url: URL,
  options: Omit<Dispatcher.RequestOptions, "origin" | "path"> & { dispatcher: Dispatcher },
): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  return requestApi.call(dispatcher, {
    ...rest,
    origin: url.origin,
    path: url.search ? `${url.pathname}${url.search}` : url.pathname,
  });
}

/** What one attempt sends. */
export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A complete answer, whatever its status. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** How one attempt ended. `aborted` means the caller's signal fired, not the timeout. */
export type AttemptOutcome =
  | { readonly kind: "response"; readonly response: HttpResponse }
  | { readonly kind: "timeout" }
  | { readonly kind: "too-large"; readonly status: number; readonly headers: IncomingHttpHeaders }
  | { readonly kind: "network"; readonly errorCode: string | undefined; readonly cause: unknown };

/** Answers larger than this are refused; every answer of the contract is far smaller. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * The client's dispatcher: the caller's, or a keep-alive Agent this client owns, made on first
 * use so a client that never sends opens nothing. Never module-global: Pulumi serializes
 * provider code, and a shared live socket pool must not be captured.
 */
export interface DispatcherHolder {
  get(): Dispatcher;
  close(): Promise<void>;
  readonly closed: boolean;
}

export function holdDispatcher(
  provided: Dispatcher | undefined,
  connectTimeoutMs: number,
): DispatcherHolder {
  let own: UndiciAgent | undefined;
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    get() {
      if (provided !== undefined) return provided;
      own ??= new Agent({
        // Node's http server closes idle sockets after 5 s; letting ours go after 4 s avoids
        // writing into a socket the server is closing.
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
        connect: { timeout: connectTimeoutMs },
      });
      return own;
    },
    async close() {
      if (closed) return;
      closed = true;
      // A caller-provided dispatcher belongs to the caller, who closes it.
      await own?.close();
    },
  };
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return errorCodeOf((error as { cause?: unknown }).cause);
}

async function readBounded(body: Dispatcher.ResponseData["body"]): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Sends one request and reads the whole answer within `timeoutMs`. When the caller's signal
 * aborts, this rejects with the signal's reason, as `fetch` does; every other failure is an
 * outcome for the retry loop to judge.
 */
export async function sendOnce(
  dispatcher: Dispatcher,
  request: HttpRequest,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
): Promise<AttemptOutcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal =
    callerSignal === undefined ? timeout.signal : AbortSignal.any([callerSignal, timeout.signal]);
  try {
    const answer = await undiciRequest(request.url, {
      dispatcher,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
    });
    const text = await readBounded(answer.body);
    if (text === undefined) {
      return { kind: "too-large", status: answer.statusCode, headers: answer.headers };
    }
    return {
      kind: "response",
      response: { status: answer.statusCode, headers: answer.headers, text },
    };
  } catch (error) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (timeout.signal.aborted) return { kind: "timeout" };
    return { kind: "network", errorCode: errorCodeOf(error), cause: error };
  } finally {
    clearTimeout(timer);
  }
}
