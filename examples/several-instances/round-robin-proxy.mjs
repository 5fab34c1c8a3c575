// A minimal round-robin HTTP proxy for trying several grant-server instances on one machine:
// node round-robin-proxy.mjs <port> <upstream-url> <upstream-url> …
// In production use your load balancer (nginx, HAProxy, a cloud LB) with TLS; this one has
// neither TLS nor health checks: it only shows that any instance can answer any request.
import http from "node:http";

const [port, ...upstreams] = process.argv.slice(2);
if (!port || upstreams.length === 0) {
  console.error("usage: node round-robin-proxy.mjs <port> <upstream-url>...");
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true });
let next = 0;
http
  .createServer((request, response) => {
    const upstream = new URL(upstreams[next++ % upstreams.length]);
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          "x-upstream": upstream.host,
        });
        answer.pipe(response);
      },
    );
    forwarded.on("error", () => {
      response.writeHead(502).end();
    });
    request.pipe(forwarded);
  })
  .listen(Number(port), "127.0.0.1", () =>
    console.log(`proxy listening on http://127.0.0.1:${port}`),
  );
