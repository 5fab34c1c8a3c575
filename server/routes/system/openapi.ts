import type { FastifyInstance } from "fastify";
import { serverEndpoints } from "../../../sdk/endpoints/server";
import type { ServerContext } from "../../context";
import { buildOpenApiDocument } from "../../openapi";
import { SERVER_VERSION } from "../../version";
import { registerEndpoint } from "../register-endpoint";

/** `GET /openapi.json`, built on first request (the public URL is known only after listen). */
export function registerOpenApiRoutes(app: FastifyInstance, context: ServerContext): void {
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  registerEndpoint(app, serverEndpoints.openApi, async () => {
    document ??= buildOpenApiDocument(context.publicUrl(), SERVER_VERSION);
    return document;
  });
}
