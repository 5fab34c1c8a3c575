import Fastify from "fastify";
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from "fastify";
import type { ServerContext } from "./context";
import type { ServerLogger } from "./server-logger";
import { installErrorHandling } from "./error-hook";
import { ApiError } from "./errors";
import { MAX_PATH_PARAMETER_LENGTH, clientErrorHandler, frameworkErrors } from "./framework-errors";
import { decodeFormBody } from "./form-body";
import { firstDuplicateKey } from "./json-duplicate-keys";
import { installIdempotency } from "./idempotency";
import { managementGuard } from "./management-guard";
import { keepRawBody } from "./raw-body";
import { registerClientGrantRoutes } from "./routes/auth0/client-grants";
import { registerAuth0ClientRoutes } from "./routes/auth0/clients";
import { registerNevisMetaClientRoutes } from "./routes/nevismeta/clients";
import { registerNevisMetaSetupRoutes } from "./routes/nevismeta/setups";
import { registerDiscoveryRoutes } from "./routes/oidc/discovery";
import { registerJwksRoutes, registerTenantJwksRoute } from "./routes/oidc/jwks";
import { registerTokenEndpointRoutes } from "./routes/oidc/token";
import { registerHealthRoutes } from "./routes/system/health";
import { registerOpenApiRoutes } from "./routes/system/openapi";
import { registerClientRoutes } from "./routes/usegrant/clients";
import { registerDomainRoutes } from "./routes/usegrant/domains";
import { registerProviderRoutes } from "./routes/usegrant/providers";
import { registerSigningKeyRoutes } from "./routes/usegrant/signing-keys";
import { registerTokenRoutes } from "./routes/usegrant/tokens";

/**
 * The Fastify application: both management dialects, the issuer endpoints, and the operational
 * routes, with one guard for management calls and one error exit. It does not listen; see
 * `startServer`.
 */
export function buildApp(context: ServerContext, logging: AppLogging): FastifyInstance {
  const app = Fastify({
    ...loggerOptions(logging),
    bodyLimit: context.bodyLimitBytes,
    // Request ids are ours; a client-sent X-Request-Id is not trusted into the logs.
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });

  installBodyParsers(app);
  installErrorHandling(app, context.bodyLimitBytes);
  // Only the routes that take the admin token get the guard: token requests, discovery and JWKS
  // are the hot unauthenticated paths, and a hook that returns at once still costs a promise.
  const guard = managementGuard(context);
  app.addHook("onRoute", (route) => {
    if (route.config?.authenticated !== true) return;
    const own = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [guard, ...own];
  });
  installIdempotency(app, context);

  registerHealthRoutes(app);
  registerOpenApiRoutes(app, context);
  registerProviderRoutes(app, context);
  registerSigningKeyRoutes(app, context);
  registerClientRoutes(app, context);
  registerTokenRoutes(app, context);
  registerDomainRoutes(app, context);
  registerClientGrantRoutes(app, context);
  registerAuth0ClientRoutes(app, context);
  registerNevisMetaSetupRoutes(app, context);
  registerNevisMetaClientRoutes(app, context);
  registerDiscoveryRoutes(app, context);
  registerJwksRoutes(app, context);
  registerTenantJwksRoute(app, context);
  registerTokenEndpointRoutes(app, context);
  return app;
}

/** Where logs go: a ready logger, or JSON lines (pino, through Fastify) to a stream. */
export type AppLogging =
  { logger: ServerLogger } | { stream: { write(line: string): unknown }; level: string };

// Request logs carry method, path and status only: no headers (Authorization), no query string
// (a misused token request could put a secret there), no bodies. A logger passed in gets the
// same serializers through a child, or Fastify would log whole URLs with it.
const requestLogSerializers = {
  req: (request: { method: string; url: string; ip?: string }) => ({
    method: request.method,
    url: request.url.split("?")[0],
    remoteAddress: request.ip,
  }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
};

function loggerOptions(
  logging: AppLogging,
): Pick<FastifyServerOptions, "logger" | "loggerInstance"> {
  if ("logger" in logging) {
    // A pino logger, as ServerLogger describes; Fastify's own type for it is pino's.
    const child = logging.logger.child({}, { serializers: requestLogSerializers });
    return { loggerInstance: child as unknown as FastifyBaseLogger };
  }
  return {
    logger: { level: logging.level, stream: logging.stream, serializers: requestLogSerializers },
  };
}

function installBodyParsers(app: FastifyInstance): void {
  // An empty JSON body is no body (clients send `Content-Type` on bodiless POSTs); the route
  // then validates `{}`. Anything else goes through Fastify's prototype-poisoning-safe parser.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, raw, done) => {
    const body = decodeUtf8(raw as Buffer);
    if (body === undefined) {
      done(invalidUtf8(), undefined);
      return;
    }
    keepRawBody(request, body);
    if (body.trim() === "") {
      done(null, undefined);
      return;
    }
    const duplicate = firstDuplicateKey(body);
    if (duplicate !== undefined) {
      done(
        new ApiError(400, "invalid_body", `body.${excerpt(duplicate)}: appears more than once`),
        undefined,
      );
      return;
    }
    parseJson(request, body, done);
  });

  // RFC 6749 §4.4.2: token requests are form-encoded; decoded strictly (./form-body.ts).
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "buffer" },
    (request, raw, done) => {
      const body = decodeUtf8(raw as Buffer);
      if (body === undefined) {
        done(invalidUtf8(), undefined);
        return;
      }
      keepRawBody(request, body);
      const decoded = decodeFormBody(body);
      if (!decoded.ok) {
        done(
          new ApiError(400, "invalid_body", `${decoded.parameter}: ${decoded.problem}`),
          undefined,
        );
        return;
      }
      done(null, decoded.body);
    },
  );
}

// Fatal decoding: invalid bytes would otherwise become U+FFFD, and two different byte strings
// would be stored as one.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeUtf8(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

function invalidUtf8(): ApiError {
  return new ApiError(400, "invalid_body", "body: is not valid UTF-8");
}

/** At most 64 characters of client input in a message. */
function excerpt(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
