import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Endpoint } from "../../sdk/endpoints/endpoint";
import { ApiError } from "../errors";
import "../route-config";
import { parseInput } from "../validation";

type BodyOf<E> = E extends { body: infer S extends z.ZodType } ? z.output<S> : undefined;
type QueryOf<E> = E extends { query: infer S extends z.ZodType } ? z.output<S> : undefined;
/** Handlers return what the response schema accepts; 204 endpoints return nothing. */
export type ResponseOf<E> = E extends { response: infer S extends z.ZodType } ? z.input<S> : void;

export interface EndpointRequest<E extends Endpoint> {
  /** Path parameters, still unvalidated strings. */
  params: Readonly<Record<string, string>>;
  /** The body, validated by the endpoint's schema. */
  body: BodyOf<E>;
  /** The query, validated by the endpoint's schema. */
  query: QueryOf<E>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type EndpointHandler<E extends Endpoint> = (
  input: EndpointRequest<E>,
) => Promise<ResponseOf<E>>;

/** Where each dialect's paths hang. OIDC paths hang under every issuer prefix. */
const DIALECT_PREFIXES: Readonly<Record<Endpoint["dialect"], readonly string[]>> = {
  usegrant: [""],
  auth0: ["/api/v2"],
  // A nevisMeta base URL (`https://host/nevismeta/rest`) works unchanged.
  nevismeta: ["/nevismeta/rest"],
  // `/p/<providerId>` is the default issuer; the root serves a verified custom domain (Host).
  oidc: ["/p/:providerId", ""],
};

/** The URL paths an endpoint is served at, in Fastify's `:param` form. */
export function routePaths(endpoint: Endpoint): string[] {
  const path = endpoint.path.replace(/\{(\w+)\}/g, ":$1");
  return DIALECT_PREFIXES[endpoint.dialect].map((prefix) => `${prefix}${path}`);
}

/**
 * Registers an endpoint of the wire contract: method and path come from the descriptor, the body
 * and query are parsed with its schemas before the handler runs, and the handler's result is
 * sent with the descriptor's success status. `validateBody: false` leaves the body to the
 * handler, for the token endpoint whose errors follow RFC 6749 §5.2 instead.
 */
export function registerEndpoint<E extends Endpoint>(
  app: FastifyInstance,
  endpoint: E,
  handler: EndpointHandler<E>,
  options: { validateBody?: boolean } = {},
): void {
  const validateBody = options.validateBody ?? true;
  for (const url of routePaths(endpoint)) {
    app.route({
      method: endpoint.method,
      url,
      config: {
        dialect: endpoint.dialect,
        authenticated: endpoint.authenticated,
        operationId: endpoint.operationId,
      },
      handler: async (request, reply) => {
        const body =
          validateBody && endpoint.body
            ? parseInput(endpoint.body, jsonBody(request), "body")
            : undefined;
        const query = endpoint.query
          ? parseInput(endpoint.query, request.query ?? {}, "query")
          : undefined;
        const result = await handler({
          params: (request.params ?? {}) as Record<string, string>,
          body: body as BodyOf<E>,
          query: query as QueryOf<E>,
          request,
          reply,
        });
        reply.code(endpoint.successStatus);
        return endpoint.successStatus === 204 ? reply.send() : reply.send(result);
      },
    });
  }
}

// Management bodies are JSON. A missing body counts as `{}`, so an all-optional body (token
// minting, key rotation) may be left out, and a missing required field is named by the schema.
function jsonBody(request: FastifyRequest): unknown {
  if (request.body === undefined) return {};
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(400, "invalid_body", "body: Content-Type must be application/json");
  }
  return request.body;
}
