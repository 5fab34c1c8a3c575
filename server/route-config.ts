import type { Dialect } from "../sdk/endpoints/endpoint";

// Every route carries its dialect (which error body it answers with) and whether it is a
// management call (admin token and rate limit). Fastify hands `config` to hooks and handlers.
declare module "fastify" {
  interface FastifyContextConfig {
    dialect?: Dialect;
    authenticated?: boolean;
    operationId?: string;
  }
}

/** The dialect of a URL that matched no route, from its prefix. */
export function dialectOfPath(url: string): Dialect {
  if (url.startsWith("/api/v2")) return "auth0";
  if (url.startsWith("/nevismeta/")) return "nevismeta";
  if (url.startsWith("/p/") || url.startsWith("/.well-known/") || url.startsWith("/oauth/")) {
    return "oidc";
  }
  return "usegrant";
}
