import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "./context";
import { ApiError } from "./errors";
import "./route-config";
import { hashSecret, secretMatches } from "./secrets";
import { MANAGEMENT_SCOPES } from "./tenant/management-scopes";
import { authorizeManagementJwt } from "./tenant/authorize-management-jwt";

/**
 * The `onRequest` hook of management routes (those whose config says `authenticated`): rate limit
 * first (so floods of bad tokens are limited too), then the bearer admin token (RFC 6750 §2.1),
 * compared in constant time. Runs before the body is read, so an unauthenticated caller cannot
 * make the server parse anything.
 */
export function managementGuard(context: ServerContext) {
  const adminTokenHash = hashSecret(context.adminToken);
  // The limiter keys on a digest, never on the token itself, so no secret sits in its map.
  const adminKey = `token:${adminTokenHash.toString("hex")}`;
  return async function guardManagementRoute(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    // nevisMeta authenticates with HTTP Basic (reference §9): any user name, the admin token as
    // password, so a nevisMeta client's `-u user:password` setting carries the token unchanged.
    const basic = request.routeOptions.config.dialect === "nevismeta";
    const presented = basic
      ? basicPassword(request.headers.authorization)
      : bearerToken(request.headers.authorization);
    const isAdmin = presented !== undefined && secretMatches(presented, adminTokenHash);
    // Not the admin token: maybe a Management API JWT from the tenant token endpoint (bearer only).
    const principal =
      !isAdmin && !basic && presented !== undefined
        ? await authorizeManagementJwt(context, presented)
        : undefined;
    const authenticated = isAdmin || principal !== undefined;

    if (context.rateLimiter) {
      const decision = context.rateLimiter.take(
        isAdmin ? adminKey : principal ? `client:${principal.clientId}` : `ip:${request.ip}`,
      );
      reply.header("X-RateLimit-Limit", String(decision.limit));
      reply.header("X-RateLimit-Remaining", String(decision.remaining));
      reply.header("X-RateLimit-Reset", String(decision.resetAt));
      // The window is counted in this process: behind a load balancer over N instances a
      // caller gets up to N × the limit. Said on every answer so nobody has to guess.
      reply.header("X-RateLimit-Scope", "instance");
      if (!decision.allowed) {
        const retryAfter = Math.max(1, decision.resetAt - Math.floor(context.now() / 1000));
        throw new ApiError(
          429,
          "too_many_requests",
          `Too many requests: at most ${decision.limit} per minute; retry after ${retryAfter} s`,
          { headers: { "Retry-After": String(retryAfter) } },
        );
      }
    }

    if (!authenticated) {
      const scheme = basic ? "Basic" : "Bearer";
      throw new ApiError(
        401,
        "invalid_token",
        presented === undefined
          ? `Authorization: missing ${basic ? "Basic credentials" : "bearer token"}`
          : `Authorization: invalid ${basic ? "Basic credentials" : "bearer token"}`,
        // RFC 6750 §3 / RFC 7617 §2: a 401 names the scheme the client should use.
        { headers: { "WWW-Authenticate": `${scheme} realm="grants-server"` } },
      );
    }
    if (principal) requireScope(principal, request.routeOptions.config.operationId);
  };
}

/** A Management API JWT must carry the operation's scope (Auth0: 403 `insufficient_scope`). */
function requireScope(
  principal: { scopes: ReadonlySet<string> },
  operationId: string | undefined,
): void {
  const needed = operationId === undefined ? undefined : MANAGEMENT_SCOPES[operationId];
  if (needed === undefined) {
    throw new ApiError(403, "insufficient_scope", "This endpoint takes the admin token only");
  }
  const anyOf = typeof needed === "string" ? [needed] : needed;
  if (!anyOf.some((scope) => principal.scopes.has(scope))) {
    throw new ApiError(
      403,
      "insufficient_scope",
      `Insufficient scope; expected any of: ${anyOf.join(", ")}`,
    );
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

function basicPassword(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
