import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "./context";
import { ApiError } from "./errors";
import { open, seal } from "./keys/sealed-box";
import { rawBodyOf } from "./raw-body";

/** How long a key is remembered: a retry or a next `pulumi up` within a day replays the answer. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest accepted key; UUIDs are 36 characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Sent on every answer, so a client learns that this origin honours `Idempotency-Key`. */
export const IDEMPOTENCY_SUPPORT_HEADER = "grants-idempotency-keys";

interface Claimed {
  readonly caller: string;
  readonly key: string;
}
const claims = new WeakMap<FastifyRequest, Claimed>();

/**
 * `Idempotency-Key` on every POST (draft-ietf-httpapi-idempotency-key-header): the first request
 * with a key runs and its answer is stored; a later one with the same key and the same method,
 * path and body gets that answer again without running; the same key with another request is
 * refused with 422, and one still running with 409. Keys are scoped per caller (a digest of the
 * Authorization header, or the client address without one), so callers cannot see each other's
 * answers. 5xx and 429 answers are not stored: the request did not take effect and may be sent
 * again with the same key.
 */
export function installIdempotency(app: FastifyInstance, context: ServerContext): void {
  // Both hooks take a callback rather than returning a promise: nearly every request carries no
  // key and passes straight through, and a promise per hook is paid by every request.
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header(IDEMPOTENCY_SUPPORT_HEADER, "honoured");
    const claimed = claims.get(request);
    if (claimed === undefined) {
      done(null, payload);
      return;
    }
    claims.delete(request);
    settle(context, claimed, reply, payload).then(() => done(null, payload), done);
  });

  app.addHook("preHandler", (request, reply, done) => {
    if (request.method !== "POST" || request.headers["idempotency-key"] === undefined) {
      done();
      return;
    }
    claimOrReplay(context, request, reply).then((replayed) => {
      // A replayed answer is already sent: the route must not run.
      if (!replayed) done();
    }, done);
  });
}

/** Stores the answer of a claimed key, or frees the key when the request did not take effect. */
async function settle(
  context: ServerContext,
  claimed: Claimed,
  reply: FastifyReply,
  payload: unknown,
): Promise<void> {
  const status = reply.statusCode;
  if (status >= 500 || status === 429) {
    await context.store.releaseIdempotencyKey(claimed.caller, claimed.key);
    return;
  }
  const text = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload : "";
  await context.store.completeIdempotencyKey(claimed.caller, claimed.key, {
    status,
    contentType: String(reply.getHeader("content-type") ?? "application/json; charset=utf-8"),
    sealedBody: seal(context.masterKey, Buffer.from(text), aad(claimed)),
  });
}

/** Claims the request's key, or sends the stored answer of an earlier request with it (true). */
async function claimOrReplay(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const key = idempotencyKeyOf(request.headers["idempotency-key"]);
  if (key === undefined) return false;
  const caller = callerOf(request);
  const fingerprint = createHash("sha256")
    .update(`${request.method} ${request.url}\n`)
    .update(rawBodyOf(request))
    .digest("base64url");
  const now = context.now();
  const claim = await context.store.claimIdempotencyKey(
    {
      caller,
      key,
      fingerprint,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + IDEMPOTENCY_KEY_TTL_MS).toISOString(),
    },
    new Date(now).toISOString(),
  );
  if (claim.kind === "claimed") {
    claims.set(request, { caller, key });
    return false;
  }
  const { record } = claim;
  if (record.fingerprint !== fingerprint) {
    throw new ApiError(
      422,
      "idempotency_key_reused",
      "Idempotency-Key: already used for another request (method, path or body differ); use a new key",
    );
  }
  if (record.response === undefined) {
    throw new ApiError(
      409,
      "conflict",
      "Idempotency-Key: the first request with this key is still being handled; retry later",
      { headers: { "Retry-After": "1" } },
    );
  }
  const body = open(context.masterKey, record.response.sealedBody, aad({ caller, key }));
  reply.code(record.response.status).type(record.response.contentType).send(body);
  return true;
}

function aad(claimed: Claimed): string {
  return `idempotency:${claimed.caller}:${claimed.key}`;
}

// The draft makes the header a Structured Field string ("…"); a bare token is accepted too, as
// most clients send one. Visible ASCII only, so a key cannot hide a control character.
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) {
    throw invalidKey("Idempotency-Key: must be sent once");
  }
  const quoted = /^"(.*)"$/.exec(header.trim());
  const key = quoted ? quoted[1]! : header.trim();
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw invalidKey(
      `Idempotency-Key: must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, got ${key.length}`,
    );
  }
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(key)) {
    throw invalidKey("Idempotency-Key: must be visible ASCII without quotes or backslashes");
  }
  return key;
}

function invalidKey(message: string): ApiError {
  return new ApiError(400, "invalid_header", message);
}

function callerOf(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  return authorization === undefined
    ? `ip:${request.ip}`
    : `auth:${createHash("sha256").update(authorization).digest("base64url")}`;
}
