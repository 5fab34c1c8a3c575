// A fault-injecting HTTP proxy on loopback. It sits in front of a real server and, request by
// request, forwards, answers by itself, resets the connection, stalls, or rewrites the answer.
// It records when each request arrived, so tests can measure the client's waits at the wire.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export type Fault =
  /** Forward unchanged, or to another path+query. */
  | { readonly type: "forward"; readonly path?: string }
  /** Forward, let the server act on it, and never pass its answer back. */
  | { readonly type: "forward-and-withhold" }
  /** Forward, let the server act on it, then reset the client's connection: a lost answer. */
  | { readonly type: "forward-and-reset" }
  /** Forward, let the server act on it, then answer `status` instead (a gateway's 502). */
  | { readonly type: "forward-and-replace"; readonly status: number }
  /** Answer without forwarding. */
  | {
      readonly type: "respond";
      readonly status: number;
      readonly headers?: http.OutgoingHttpHeaders;
      readonly body?: unknown;
    }
  /** Destroy the client's connection without answering. */
  | { readonly type: "reset" }
  /** Never answer (until the proxy closes). */
  | { readonly type: "stall" }
  /** Forward, then replace the JSON answer body with `transform(body)`. */
  | { readonly type: "rewrite"; readonly transform: (body: unknown) => unknown };

export interface ProxiedRequest {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  /** `performance.now()` when the request head arrived. */
  readonly arrivedAt: number;
  /** `Date.now()` when the request head arrived. */
  readonly arrivedAtEpochMs: number;
  /** The request body as text (read before the plan is asked). */
  readonly body: string;
}

export type FaultPlan = (request: ProxiedRequest) => Fault;

export interface FaultProxy {
  readonly url: string;
  readonly requests: ProxiedRequest[];
  /** Replaces the plan; the default forwards everything. */
  plan(plan: FaultPlan): void;
  /** Resolves once every request forwarded so far has been answered by the target. */
  upstreamSettled(): Promise<void>;
  close(): Promise<void>;
}

const forwardAll: FaultPlan = () => ({ type: "forward" });

/** Faults for the first `faults.length` requests, then forwarding. */
export function sequence(...faults: Fault[]): FaultPlan {
  return ({ index }) => faults[index] ?? { type: "forward" };
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const requests: ProxiedRequest[] = [];
  let current: FaultPlan = forwardAll;
  // No pooling towards the target: each forwarded request stands alone.
  const agent = new http.Agent({ keepAlive: false });
  const inFlight = new Set<Promise<void>>();

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    path: string,
    transform?: (body: unknown) => unknown,
    withhold: "answer" | "withhold" | "reset" | { replaceWith: number } = "answer",
  ) => {
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: targetUrl.host };
    delete headers.connection;
    delete headers["keep-alive"];
    let settle = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    const upstream = http.request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path,
        headers,
        agent,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          settle();
          if (withhold === "withhold") return;
          if (withhold === "reset") {
            req.socket.destroy();
            return;
          }
          if (typeof withhold === "object") {
            res.writeHead(withhold.replaceWith, { "content-type": "text/html" });
            res.end("<html><body>Bad Gateway</body></html>");
            return;
          }
          let payload = Buffer.concat(chunks);
          const outHeaders = { ...answer.headers };
          delete outHeaders.connection;
          delete outHeaders["keep-alive"];
          delete outHeaders["transfer-encoding"];
          if (transform !== undefined) {
            const text = payload.toString("utf8");
            payload = Buffer.from(
              JSON.stringify(transform(text === "" ? undefined : JSON.parse(text))),
            );
          }
          outHeaders["content-length"] = String(payload.length);
          res.writeHead(answer.statusCode ?? 502, outHeaders);
          res.end(payload);
        });
      },
    );
    upstream.on("error", () => {
      settle();
      res.destroy();
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const request: ProxiedRequest = {
      index: requests.length,
      method: req.method ?? "",
      path: req.url ?? "",
      arrivedAt: performance.now(),
      arrivedAtEpochMs: Date.now(),
      body: "",
    };
    requests.push(request);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const fault = current({ ...request, body: body.toString("utf8") });
      switch (fault.type) {
        case "forward":
          forward(req, res, body, fault.path ?? request.path);
          return;
        case "forward-and-withhold":
          forward(req, res, body, request.path, undefined, "withhold");
          return;
        case "forward-and-reset":
          forward(req, res, body, request.path, undefined, "reset");
          return;
        case "forward-and-replace":
          forward(req, res, body, request.path, undefined, { replaceWith: fault.status });
          return;
        case "rewrite":
          forward(req, res, body, request.path, fault.transform);
          return;
        case "respond": {
          const text = fault.body === undefined ? "" : JSON.stringify(fault.body);
          res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
          res.end(text);
          return;
        }
        case "reset":
          req.socket.destroy();
          return;
        case "stall":
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    plan(plan) {
      current = plan;
    },
    async upstreamSettled() {
      await Promise.all([...inFlight]);
    },
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
