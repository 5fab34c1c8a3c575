import { STATUS_CODES } from "node:http";
import {
  GRANTS_NETWORK,
  GRANTS_RATE_LIMITED,
  GRANTS_TIMEOUT,
  GRANTS_UNAUTHORIZED,
  isGrantsError,
} from "../../sdk/index";
import type { GrantsError } from "../../sdk/index";
import { ManagementTokenError } from "../../sdk/management-token-source";
import { settingSources } from "../config";
import { OPERATION_ATTEMPTS } from "./grants-client";
import { PartialCreateError } from "./partial-create";

/**
 * Which API a resource or function talks to, so a failure names the settings that point there:
 * `token-endpoint` is an issuer reached through a function's own arguments (no setting).
 */
export type ApiKind = "usegrant" | "management" | "nevis" | "token-endpoint";

const URL_SETTING: Record<ApiKind, string> = {
  usegrant: settingSources.apiUrl.configKey,
  management: `${settingSources.managementApiUrl.configKey} (or ${settingSources.apiUrl.configKey})`,
  nevis: `${settingSources.nevisMetaUrl.configKey} (or ${settingSources.apiUrl.configKey})`,
  "token-endpoint": "the `issuer` or `tokenUrl` argument",
};
const TOKEN_SETTING: Record<ApiKind, string> = {
  usegrant: settingSources.apiToken.configKey,
  management: `${settingSources.managementApiToken.configKey} (or ${settingSources.apiToken.configKey}, or ${settingSources.auth0ClientId.configKey} and ${settingSources.auth0ClientSecret.configKey})`,
  nevis: `${settingSources.nevisMetaPassword.configKey} (or ${settingSources.apiToken.configKey})`,
  "token-endpoint": "the `clientId` and `clientSecret` (or `privateKey`) arguments",
};
const REJECTED: Record<ApiKind, string> = {
  usegrant: "the token is not accepted",
  management: "the token is not accepted",
  nevis: "the credentials are not accepted",
  "token-endpoint": "the client credentials are not accepted",
};

// Pulumi's dynamic-provider host prints a failed read/delete as `${error}: ${error.stack}`; with
// an Error that came out as "GrantsError: msg: GrantsError: msg\n    at … .ts" — the message
// twice and a trace into files the package does not ship. This error prints as
// "error: <sentence>", and keeps the trace only when verbose logging is asked for.
function verbose(): boolean {
  return (
    process.env.PULUMI_GRANTS_VERBOSE === "1" ||
    process.argv.some((arg) => /^(-v|--verbose)=?[1-9]/.test(arg))
  );
}

/** A failure told to the user in one sentence. */
export class ProviderFailure extends Error {
  /** The cause's stable code (a `GRANTS_*` code), for callers that branch on it. */
  readonly code?: string;
  /** The HTTP status, when the server answered. */
  readonly status?: number;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "ProviderFailure";
    if (isGrantsError(cause)) {
      this.code = cause.code;
      if (cause.status !== undefined) this.status = cause.status;
    }
    const causeStack = cause instanceof Error ? cause.stack : undefined;
    Object.defineProperty(this, "stack", {
      value: verbose() && causeStack !== undefined ? `${message}\n${causeStack}` : message,
      enumerable: false,
      writable: true,
    });
  }

  override toString(): string {
    return "error";
  }
}

function networkCode(error: GrantsError): string | undefined {
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  return /failed: ([A-Z_]+)$/.exec(error.message)?.[1];
}

function serverMessage(error: GrantsError): string | undefined {
  const body = error.body as Record<string, unknown> | undefined;
  if (body === undefined) return undefined;
  const text = body.error_description ?? body.message ?? body.error;
  if (typeof text !== "string") return undefined;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

/** The one sentence for `error`, raised by `operation` of `resource` (`grants:Client create`). */
export function failureSentence(
  resource: string,
  operation: string,
  api: ApiKind,
  error: unknown,
): string {
  const what = `${resource} ${operation} failed`;
  if (error instanceof ManagementTokenError) {
    // The exchange of grants:auth0ClientId/Secret failed; its message names the client and the
    // OAuth error, never the secret.
    return `${what}: ${error.message}. Check ${settingSources.auth0Domain.configKey}, ${settingSources.auth0ClientId.configKey} and ${settingSources.auth0ClientSecret.configKey}, and that the application has a client grant on the Management API.`;
  }
  if (!isGrantsError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return message.startsWith(resource) ? message : `${what}: ${message}`;
  }
  const origin = originOf(error.url);
  if (error.code === GRANTS_NETWORK) {
    const code = networkCode(error);
    if (code === "ECONNREFUSED") {
      return `${what}: the connection to ${origin} was refused. Is the grant server running there? Check ${URL_SETTING[api]}.`;
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      return `${what}: the host of ${origin} was not found (${code}). Check ${URL_SETTING[api]}.`;
    }
    return `${what}: the connection to ${origin} failed (${code ?? "network error"}) after ${error.attempts ?? 1} attempt(s). Check the network and ${URL_SETTING[api]}, then run again.`;
  }
  if (error.code === GRANTS_TIMEOUT) {
    return `${what}: ${origin} sent no answer in time after ${error.attempts ?? 1} attempt(s). Check that the server is healthy (or raise ${settingSources.requestTimeoutSeconds.configKey}), then run again.`;
  }
  const status = error.status ?? 0;
  const reason = `${status} ${STATUS_CODES[status] ?? ""}`.trim();
  const detail = serverMessage(error);
  const said = detail === undefined ? "" : ` (${detail.replace(/\.$/, "")})`;
  if (error.code === GRANTS_UNAUTHORIZED) {
    return `${what}: ${origin} answered ${reason}${said}: ${REJECTED[api]}. Check ${TOKEN_SETTING[api]}.`;
  }
  // Retries of a rate-limited call stop early only when the wait asked for exceeds the budget;
  // with every attempt used, the budget was not what ran out.
  if (
    error.code === GRANTS_RATE_LIMITED &&
    error.retryAfterMs !== undefined &&
    (error.attempts ?? 1) < OPERATION_ATTEMPTS
  ) {
    return `${what}: ${origin} answered ${reason} and asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s, more than ${settingSources.maxRetryWaitSeconds.configKey} allows. Raise it (\`pulumi config set ${settingSources.maxRetryWaitSeconds.configKey} 300\`) or run again later.`;
  }
  const tries = (error.attempts ?? 1) > 1 ? `, after ${error.attempts} attempts` : "";
  return `${what}: ${error.method} ${origin}${pathOf(error.url)} answered ${reason}${said}${tries}.`;
}

function pathOf(url: string): string {
  return URL.canParse(url) ? new URL(url).pathname : "";
}

/**
 * Runs one CRUD method; a failure is rethrown as one sentence naming the resource, the
 * operation, the HTTP status and what to do. A partial create passes through untouched: the
 * engine needs its id.
 */
export async function reported<T>(
  resource: string,
  operation: string,
  api: ApiKind,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PartialCreateError || error instanceof ProviderFailure) throw error;
    throw new ProviderFailure(failureSentence(resource, operation, api, error), error);
  }
}

type Crud = {
  create?: (...args: never[]) => Promise<unknown>;
  read?: (...args: never[]) => Promise<unknown>;
  update?: (...args: never[]) => Promise<unknown>;
  delete?: (...args: never[]) => Promise<unknown>;
};

/** The implementation with every create/read/update/delete failure {@link reported}. */
export function reportingFailures<T extends Crud>(
  resource: string,
  api: ApiKind,
  implementation: T,
): T {
  const wrapped: Record<string, unknown> = { ...implementation };
  for (const operation of ["create", "read", "update", "delete"] as const) {
    const method = implementation[operation] as
      ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (method === undefined) continue;
    wrapped[operation] = (...args: unknown[]) =>
      reported(resource, operation, api, () => method.apply(implementation, args));
  }
  return wrapped as T;
}
