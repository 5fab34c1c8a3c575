import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { Dialect } from "../sdk/endpoints/endpoint";
import { ApiError, GrantServerError, asServerError, toErrorBody } from "./errors";
import { dialectOfPath } from "./route-config";

/**
 * The one exit path for failures: every error (ours, Fastify's, or a bug) is turned into a
 * {@link GrantServerError} and answered in the dialect of the route. Unexposed errors are logged
 * with their stack here and reach the client only as a generic 500.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const serverError = fromFastifyError(error, bodyLimitBytes);
    if (serverError.expose) {
      request.log.info({ code: serverError.code, status: serverError.status }, "request rejected");
    } else {
      request.log.error({ err: serverError.cause ?? error }, "request failed");
    }
    const dialect = dialectOf(request);
    // RFC 6749 §5.1: token endpoint answers must not be cached; that holds for errors raised
    // before the route's handler too (a body too large, invalid JSON).
    if (dialect === "oidc") reply.headers({ "Cache-Control": "no-store", Pragma: "no-cache" });
    return reply
      .code(serverError.status)
      .headers(serverError.headers)
      .send(toErrorBody(serverError, dialect));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const error = new ApiError(404, "inexistent_route", `No route for ${request.method} ${path}`);
    return reply.code(404).send(toErrorBody(error, dialectOf(request)));
  });
}

function dialectOf(request: FastifyRequest): Dialect {
  return request.routeOptions.config?.dialect ?? dialectOfPath(request.url);
}

function fromFastifyError(error: FastifyError | Error, bodyLimitBytes: number): GrantServerError {
  if (error instanceof GrantServerError) return error;
  switch ((error as FastifyError).code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError(
        413,
        "payload_too_large",
        `body: must be at most ${bodyLimitBytes} bytes`,
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError(400, "invalid_body", "body: unsupported Content-Type");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new ApiError(400, "invalid_body", "body: is not valid JSON");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiError(400, "invalid_body", "body: does not match its Content-Length");
  }
  // secure-json-parse rejects `__proto__` keys with a SyntaxError.
  if (error instanceof SyntaxError) {
    return new ApiError(400, "invalid_body", "body: is not valid JSON");
  }
  return asServerError(error);
}
