import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./errors";
import type { GrantServerError } from "./errors";
import { toErrorBody } from "./errors";
import { dialectOfPath } from "./route-config";

/** Longest path parameter the router accepts (Fastify's `maxParamLength`); ids are far shorter. */
export const MAX_PATH_PARAMETER_LENGTH = 100;

/**
 * Rejections Fastify's router makes before any route runs (a path parameter too long, a path
 * whose percent-encoding is broken), answered in the dialect of the path, naming the problem and
 * echoing no input: Fastify's own body would repeat the whole path.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  let rejection: GrantServerError;
  switch (error.code) {
    case "FST_ERR_MAX_PARAM_LENGTH":
      rejection = new ApiError(
        414,
        "invalid_uri",
        `path: a path parameter is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`,
      );
      break;
    case "FST_ERR_BAD_URL":
      rejection = new ApiError(
        400,
        "invalid_uri",
        "path: is not a valid URL (broken percent-encoding)",
      );
      break;
    default:
      rejection = new ApiError(400, "invalid_uri", "path: cannot be routed");
  }
  request.log.info({ code: rejection.code, status: rejection.status }, "request rejected");
  const dialect = dialectOfPath(request.url);
  if (dialect === "oidc") reply.headers({ "Cache-Control": "no-store", Pragma: "no-cache" });
  void reply.code(rejection.status).send(toErrorBody(rejection, dialect));
}

/**
 * Requests Node's HTTP parser refuses (a NUL or other invalid byte in a header, an unknown
 * method, headers too large): no route and no reply object exist yet, so the answer is written
 * to the socket, in the dialect of the request line's path when it can be read.
 */
export function clientErrorHandler(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { status, message } = describeParseError(error.code);
  const body = JSON.stringify(
    toErrorBody(new ApiError(status, "invalid_header", message), dialectOfPath(requestPath(error))),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function describeParseError(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case "HPE_INVALID_METHOD":
      return { status: 400, message: "method: not an HTTP method this server supports" };
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, message: "headers: larger than the server accepts" };
    case "HPE_INVALID_HEADER_TOKEN":
      return {
        status: 400,
        message: "headers: a header name holds a character that is not allowed",
      };
    case "HPE_INVALID_HEADER_VALUE":
    case "HPE_LF_EXPECTED":
    case "HPE_CR_EXPECTED":
      return {
        status: 400,
        message:
          "headers: a header value holds a character that is not allowed (NUL or a control character)",
      };
    case "HPE_INVALID_URL":
      return { status: 400, message: "path: is not a valid request target" };
    default:
      return { status: 400, message: "request: is not valid HTTP/1.1" };
  }
}

// The path of the request line, for the dialect only; never echoed.
function requestPath(error: { rawPacket?: unknown }): string {
  const raw = error.rawPacket;
  const text = Buffer.isBuffer(raw) ? raw.subarray(0, 512).toString("latin1") : "";
  return /^\S+ (\S+)/.exec(text)?.[1] ?? "/";
}
