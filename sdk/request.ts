// The call engine every operation goes through: per-call options, the retry loop, mapping
// answers to GrantsErrors and parsing success bodies with the endpoint's response schema.
import { STATUS_CODES } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { assertOptionalObject, assertDurationMs, invalidArgument } from "./arguments";
import type { Dialect, Endpoint } from "./endpoints/endpoint";
import {
  GRANTS_INVALID_RESPONSE,
  GRANTS_NETWORK,
  GRANTS_TIMEOUT,
  GRANTS_UNAUTHORIZED,
  GrantsError,
  errorCodeForStatus,
  redactUrl,
} from "./errors";
import type { GrantsErrorBody, ResponseIssue } from "./errors";
import {
  backoffDelayMs,
  isRepeatable,
  isRetryableFailure,
  serverRequestedDelayMs,
  sleep,
} from "./retry";
import type { AttemptFailure } from "./retry";
import type { CallContext, RequestOptions } from "./request-options";

export type { CallContext, RequestOptions } from "./request-options";
import { auth0ErrorBodySchema, useGrantErrorBodySchema } from "./schemas/error-body";
import { nevisMetaErrorBodySchema } from "./schemas/nevismeta-client";
import { oauthErrorSchema } from "./schemas/oauth";
import { MAX_RESPONSE_BYTES, sendOnce } from "./transport";
import type { AttemptOutcome, HttpRequest } from "./transport";
import { formatIssuePath } from "./issue-path";

/** One operation, ready to send. @internal */
export interface PreparedCall {
  readonly endpoint: Endpoint;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** A POST whose repetition changes nothing on the server (token requests, verification). */
  readonly safeToRepeat?: boolean;
  /** The `Idempotency-Key` this call sends on every attempt (one per logical create). */
  readonly idempotencyKey?: string;
}

interface ResolvedOptions {
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
}

/** Validates the per-call options of an operation. @internal */
export function resolveRequestOptions(
  options: unknown,
  context: CallContext,
  name = "options",
): ResolvedOptions {
  assertOptionalObject(options, name);
  const { signal, timeoutMs } = (options ?? {}) as RequestOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalidArgument("ERR_INVALID_ARG_TYPE", `"${name}.signal" must be an AbortSignal`);
  }
  if (timeoutMs !== undefined) {
    assertDurationMs(timeoutMs, `${name}.timeoutMs`, { allowZero: false });
  }
  return { signal, timeoutMs: timeoutMs ?? context.timeoutMs };
}

const MAX_SERVER_MESSAGE = 300;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function requestIdOf(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, "x-request-id") ?? headerValue(headers, "request-id");
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

// The dialect's own error shape is tried first; a proxy or gateway may answer in another one.
const ERROR_BODY_SCHEMAS: Record<Dialect, readonly z.ZodType<GrantsErrorBody>[]> = {
  usegrant: [useGrantErrorBodySchema, auth0ErrorBodySchema, oauthErrorSchema],
  auth0: [auth0ErrorBodySchema, useGrantErrorBodySchema, oauthErrorSchema],
  nevismeta: [nevisMetaErrorBodySchema, auth0ErrorBodySchema, oauthErrorSchema],
  oidc: [oauthErrorSchema, useGrantErrorBodySchema, auth0ErrorBodySchema],
};

function parseErrorBody(text: string, dialect: Dialect): GrantsErrorBody | undefined {
  const json = parseJson(text);
  if (!json.ok) return undefined;
  for (const schema of ERROR_BODY_SCHEMAS[dialect]) {
    const result = schema.safeParse(json.value);
    if (result.success) return result.data;
  }
  return undefined;
}

function serverMessageOf(body: GrantsErrorBody | undefined): string | undefined {
  if (body === undefined) return undefined;
  let message: string;
  if ("error_description" in body || !("message" in body)) {
    message = body.error_description ? `${body.error}: ${body.error_description}` : body.error;
  } else {
    message = body.message;
  }
  return message.length > MAX_SERVER_MESSAGE ? `${message.slice(0, MAX_SERVER_MESSAGE)}…` : message;
}

function describe(call: PreparedCall): string {
  return `${call.endpoint.method} ${redactUrl(call.url)}`;
}

interface ErrorContext {
  readonly attempts: number;
  readonly retryAfterMs?: number;
  /** Set when the server asked for a longer wait than the retry budget had left. */
  readonly budget?: { readonly waitedMs: number; readonly maxTotalWaitMs: number };
}

const IDEMPOTENCY_HEADER = "grants-idempotency-keys";

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function errorFromStatus(
  call: PreparedCall,
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
  context: ErrorContext,
): GrantsError {
  const body = parseErrorBody(text, call.endpoint.dialect);
  // RFC 6749 §5.2 lets invalid_client come back as 400; it is still a credentials problem.
  const code =
    body !== undefined && "error" in body && body.error === "invalid_client"
      ? GRANTS_UNAUTHORIZED
      : errorCodeForStatus(status);
  const reason = STATUS_CODES[status] ?? "Unknown Status";
  const serverMessage = serverMessageOf(body);
  const budget =
    context.budget === undefined || context.retryAfterMs === undefined
      ? ""
      : `; the server asked to wait ${seconds(context.retryAfterMs)}, more than the ${seconds(Math.max(0, context.budget.maxTotalWaitMs - context.budget.waitedMs))} left of the retry budget (retry.maxTotalWaitMs = ${context.budget.maxTotalWaitMs} ms)`;
  const message = `${describe(call)} answered ${status} ${reason}${serverMessage === undefined ? "" : `: ${serverMessage}`}${budget}`;
  return new GrantsError(message, {
    code,
    method: call.endpoint.method,
    url: call.url.href,
    status,
    body,
    requestId: requestIdOf(headers),
    attempts: context.attempts,
    retryAfterMs: context.retryAfterMs,
  });
}

function invalidResponse(
  call: PreparedCall,
  status: number,
  headers: IncomingHttpHeaders,
  detail: string,
  attempts: number,
  issues?: readonly ResponseIssue[],
): GrantsError {
  return new GrantsError(`${describe(call)} answered ${status} with ${detail}`, {
    code: GRANTS_INVALID_RESPONSE,
    method: call.endpoint.method,
    url: call.url.href,
    status,
    requestId: requestIdOf(headers),
    attempts,
    issues,
  });
}

/** Parses a 2xx body with the endpoint's response schema (zod strips unknown keys: tolerant). */
function parseSuccess(
  call: PreparedCall,
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
  attempts: number,
): unknown {
  const schema = call.endpoint.response;
  if (schema === undefined) return undefined;
  const json = parseJson(text);
  if (!json.ok) {
    const detail = text.length === 0 ? "an empty body" : "a body that is not JSON";
    throw invalidResponse(call, status, headers, detail, attempts);
  }
  const result = schema.safeParse(json.value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: formatIssuePath(issue.path) || "(body)",
    message: issue.message,
  }));
  const first = issues[0];
  const detail =
    first === undefined
      ? `a body that breaks the ${call.endpoint.operationId} contract`
      : `a body that breaks the ${call.endpoint.operationId} contract at ${first.path}: ${first.message}`;
  throw invalidResponse(call, status, headers, detail, attempts, issues);
}

function failureOf(outcome: Exclude<AttemptOutcome, { kind: "too-large" }>): AttemptFailure {
  switch (outcome.kind) {
    case "response":
      return { kind: "status", status: outcome.response.status };
    case "timeout":
      return { kind: "timeout" };
    case "network":
      return { kind: "network", errorCode: outcome.errorCode };
  }
}

function errorOf(
  call: PreparedCall,
  outcome: Exclude<AttemptOutcome, { kind: "too-large" }>,
  timeoutMs: number,
  context: ErrorContext,
): GrantsError {
  switch (outcome.kind) {
    case "response":
      return errorFromStatus(
        call,
        outcome.response.status,
        outcome.response.headers,
        outcome.response.text,
        context,
      );
    case "timeout":
      return new GrantsError(`${describe(call)} timed out after ${timeoutMs} ms`, {
        code: GRANTS_TIMEOUT,
        method: call.endpoint.method,
        url: call.url.href,
        attempts: context.attempts,
      });
    case "network":
      // The code, not the underlying message: messages of socket errors are not ours to promise.
      return new GrantsError(`${describe(call)} failed: ${outcome.errorCode ?? "network error"}`, {
        code: GRANTS_NETWORK,
        method: call.endpoint.method,
        url: call.url.href,
        attempts: context.attempts,
        cause: outcome.cause,
      });
  }
}

function assertOpen(context: CallContext): void {
  if (context.dispatcher.closed) {
    const error = new Error("the client is closed") as Error & { code: string };
    error.code = "ERR_INVALID_STATE";
    throw error;
  }
}

/**
 * Sends a prepared call with retries and returns the parsed success body (`undefined` for
 * endpoints without a response schema). @internal
 */
export async function perform(
  context: CallContext,
  call: PreparedCall,
  options: ResolvedOptions,
): Promise<unknown> {
  assertOpen(context);
  const policy = context.retry;
  const origin = call.url.origin;
  const repeatableNow = () =>
    isRepeatable(call.endpoint.method, call.safeToRepeat === true) ||
    (call.idempotencyKey !== undefined && context.idempotentOrigins.has(origin));
  const request: HttpRequest = {
    method: call.endpoint.method,
    url: call.url,
    headers: call.headers,
    body: call.body,
  };
  let waitedMs = 0;
  for (let attempt = 1; ; attempt += 1) {
    const permit = await context.budget.acquire(call.url, options.signal);
    let outcome: AttemptOutcome;
    try {
      outcome = await sendOnce(
        context.dispatcher.get(),
        request,
        options.timeoutMs,
        options.signal,
      );
    } catch (error) {
      permit.settle();
      throw error;
    }
    // Every answer, 429s included, tells the budget where the server's rate-limit window is.
    permit.settle(
      outcome.kind === "response"
        ? outcome.response.headers
        : outcome.kind === "too-large"
          ? outcome.headers
          : undefined,
    );
    if (outcome.kind === "too-large") {
      throw invalidResponse(
        call,
        outcome.status,
        outcome.headers,
        `a body larger than ${MAX_RESPONSE_BYTES} bytes`,
        attempt,
      );
    }
    if (
      outcome.kind === "response" &&
      outcome.response.headers[IDEMPOTENCY_HEADER] === "honoured"
    ) {
      context.idempotentOrigins.add(origin);
    }
    if (
      outcome.kind === "response" &&
      outcome.response.status >= 200 &&
      outcome.response.status < 300
    ) {
      const { status, headers, text } = outcome.response;
      return parseSuccess(call, status, headers, text, attempt);
    }
    const requestedMs =
      outcome.kind === "response"
        ? serverRequestedDelayMs(outcome.response.status, outcome.response.headers, Date.now())
        : undefined;
    const failure = failureOf(outcome);
    const giveUp = (budgetExceeded = false) =>
      errorOf(call, outcome, options.timeoutMs, {
        attempts: attempt,
        retryAfterMs: requestedMs,
        budget: budgetExceeded ? { waitedMs, maxTotalWaitMs: policy.maxTotalWaitMs } : undefined,
      });
    // A keyed create that meets its own first attempt still running (409 + Retry-After) waits.
    const keyedStillRunning =
      call.idempotencyKey !== undefined &&
      attempt > 1 &&
      failure.kind === "status" &&
      failure.status === 409 &&
      requestedMs !== undefined;
    if (
      attempt >= policy.attempts ||
      !(
        keyedStillRunning || isRetryableFailure(failure, repeatableNow(), requestedMs !== undefined)
      )
    ) {
      throw giveUp();
    }
    const delayMs = requestedMs ?? backoffDelayMs(policy, attempt, context.random);
    // A server asking for more than the remaining budget will not be served sooner by waiting
    // less, so stop now and let the caller see how long it asked for (retryAfterMs).
    if (waitedMs + delayMs > policy.maxTotalWaitMs) throw giveUp(requestedMs !== undefined);
    await sleep(delayMs, options.signal);
    waitedMs += delayMs;
  }
}
