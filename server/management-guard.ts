import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "./context";
import { ApiError } from "./errors";
import "./route-config";
import { hashSecret, secretMatches } from "./secrets";

/**
 * The `onRequest` hook of management routes: rate limit first (so floods of bad tokens are
 * limited too), then the bearer admin token (RFC 6750 §2.1), compared in constant time. Runs
 * before the body is read, so an unauthenticated caller cannot make the server parse anything.
 */
export function managementGuard(context: ServerContext) {
  const adminTokenHash = hashSecret(context.adminToken);
  // The limiter keys on a digest, never on the token itself, so no secret sits in its map.
  const adminKey = `token:${adminTokenHash.toString("hex")}`;
  return async function guardManagementRoute(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    if (request.routeOptions.config.authenticated !== true) return;
    const presented = bearerToken(request.headers.authorization);
    const authenticated = presented !== undefined && secretMatches(presented, adminTokenHash);

    if (context.rateLimiter) {
      const decision = context.rateLimiter.take(authenticated ? adminKey : `ip:${request.ip}`);
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
      throw new ApiError(
        401,
        "invalid_token",
        presented === undefined
          ? "Authorization: missing bearer token"
          : "Authorization: invalid bearer token",
        // RFC 6750 §3: a 401 names the scheme the client should use.
        { headers: { "WWW-Authenticate": 'Bearer realm="grants-server"' } },
      );
    }
  };
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
