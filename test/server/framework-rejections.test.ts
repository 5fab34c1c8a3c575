import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { call } from "./_http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Sends raw bytes and returns the status and body of the answer. */
function raw(bytes: string): Promise<{ status: number; body: unknown; text: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port: Number(port) });
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      resolve({ status, body: body === "" ? undefined : JSON.parse(body), text: body });
    });
    socket.end(Buffer.from(bytes, "latin1"));
  });
}

const longId = "a".repeat(5000);

describe("rejections made before any route runs answer in the route's dialect", () => {
  it.each([
    ["useGrant", `/v1/providers/${longId}`, { code: "bad_request" }],
    ["Auth0", `/api/v2/client-grants/${longId}`, { statusCode: 414, errorCode: "invalid_uri" }],
    ["OAuth", `/p/${longId}/oauth/token`, { error: "invalid_request" }],
  ])(
    "a %s path parameter too long: 414 naming the limit, echoing nothing",
    async (_d, path, shape) => {
      const result = await call(server, "GET", path);
      expect(result.status).toBe(414);
      expect(result.body).toMatchObject(shape);
      expect(result.text).toContain("longer than 100 characters");
      expect(result.text).not.toContain("aaaaaaaaaa");
    },
  );

  it.each([
    ["useGrant", "/v1/providers/%ZZ", { code: "bad_request" }],
    ["Auth0", "/api/v2/client-grants/%ZZ", { statusCode: 400, errorCode: "invalid_uri" }],
    ["OAuth", "/p/%ZZ/oauth/token", { error: "invalid_request" }],
  ])("a %s path with broken percent-encoding: 400 naming it", async (_d, path, shape) => {
    const result = await call(server, "GET", path);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject(shape);
    expect(result.text).toContain("percent-encoding");
    expect(result.text).not.toContain("%ZZ");
  });

  it("a NUL in a header value: 400 naming the header problem, in the path's dialect", async () => {
    const result = await raw(
      "GET /api/v2/client-grants HTTP/1.1\r\nHost: x\r\nX-Note: a\u0000b\r\n\r\n",
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ statusCode: 400, errorCode: "invalid_header" });
    expect(result.text).toContain("header");
  });

  it("an unknown method token: 400 naming the method", async () => {
    const result = await raw("FOO /v1/providers HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: "bad_request" });
    expect(result.text).toContain("method");
  });

  it("a method no route has: 404 in the route's dialect, naming method and path", async () => {
    const result = await call(server, "PROPFIND", "/api/v2/client-grants");
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ errorCode: "inexistent_route" });
  });
});
