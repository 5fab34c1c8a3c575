// Listing at scale: GET /api/v2/client-grants?client_id=… and ?audience=… against a grant server
// whose store holds 100,000 grants (100 clients × 1,000 audiences), p50/p99 latency per filter,
// sequential requests on one keep-alive connection over loopback. The grants are inserted straight
// into the server's SQLite file in one transaction (through the API they would take minutes).
//
// Run: npm run build && node bench/list-grants.ts [grants] [requests]
// Node 24 strips the types and runs this file as CommonJS (the package's type), so values are
// loaded with import(): the compiled server from dist/, as users would run it.
import type * as Server from "../server/index";

const GRANTS = Math.min(Math.max(Number(process.argv[2] ?? 100_000), 1000), 1_000_000);
const REQUESTS = Math.min(Math.max(Number(process.argv[3] ?? 1000), 10), 20_000);
const CLIENTS = 100;

async function main(): Promise<void> {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir, loadavg } = await import("node:os");
  const path = await import("node:path");
  const { randomUUID } = await import("node:crypto");
  const { performance } = await import("node:perf_hooks");
  const { DatabaseSync } = await import("node:sqlite");
  const root = path.resolve(__dirname, "..");
  const { startServer } = (await import(path.join(root, "dist/server/index.js"))) as typeof Server;
  const { Agent, request } = await import("undici");

  const dataDir = await mkdtemp(path.join(tmpdir(), "grants-bench-list-"));
  const server = await startServer({
    dataDir,
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    rateLimitPerMinute: 0,
  });
  const agent = new Agent({ connections: 1 });
  const headers = {
    authorization: `Bearer ${server.adminToken}`,
    "content-type": "application/json",
  };
  const post = async (url: string, body: object) => {
    const response = await request(`${server.url}${url}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    const created = (await response.body.json()) as { id: string };
    if (response.statusCode !== 201) throw new Error(`POST ${url}: ${JSON.stringify(created)}`);
    return created;
  };

  try {
    const provider = await post("/v1/providers", { name: "list-bench", description: "bench" });
    const clients: string[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      clients.push(
        (
          await post(`/v1/providers/${provider.id}/clients`, {
            name: `client-${c}`,
            audience: "https://aud.bench.test",
          })
        ).id,
      );
    }
    const audiences = GRANTS / CLIENTS;
    const audience = (a: number) => `https://api-${a}.bench.test`;
    const db = new DatabaseSync(path.join(dataDir, "grants.db"));
    const insert = db.prepare(
      "INSERT INTO client_grants (id, client_id, audience, scope) VALUES (?, ?, ?, ?)",
    );
    db.exec("BEGIN");
    for (let a = 0; a < audiences; a++) {
      for (const client of clients) insert.run(randomUUID(), client, audience(a), '["read"]');
    }
    db.exec("COMMIT");
    db.close();

    const list = async (query: string) => {
      const started = performance.now();
      // take=50: the first page as the sdk asks for it (checkpoint paging).
      const response = await request(`${server.url}/api/v2/client-grants?${query}&take=50`, {
        headers,
        dispatcher: agent,
      });
      const body = ((await response.body.json()) as { client_grants: unknown[] }).client_grants;
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200 || body.length === 0) {
        throw new Error(`${query} answered ${response.statusCode} with ${body.length} grants`);
      }
      return elapsed;
    };
    const percentile = (sorted: number[], p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

    console.log(
      `GET /api/v2/client-grants with ${GRANTS} grants (${CLIENTS} clients × ${audiences} audiences), ` +
        `${REQUESTS} sequential requests per filter, first page of 50 (take=50); load ${loadavg()
          .map((value) => value.toFixed(2))
          .join(" ")}`,
    );
    console.log(`${"filter".padEnd(28)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
    const filters: Record<string, (i: number) => string> = {
      "client_id=…": (i) => `client_id=${clients[i % CLIENTS]}`,
      "audience=…": (i) => `audience=${encodeURIComponent(audience(i % audiences))}`,
      "client_id=…&audience=…": (i) =>
        `client_id=${clients[i % CLIENTS]}&audience=${encodeURIComponent(audience(i % audiences))}`,
    };
    for (const [name, query] of Object.entries(filters)) {
      for (let i = 0; i < 50; i++) await list(query(i)); // warm-up
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) times.push(await list(query(i)));
      times.sort((x, y) => x - y);
      console.log(
        `${name.padEnd(28)} ${percentile(times, 50).toFixed(2).padStart(8)} ${percentile(times, 99).toFixed(2).padStart(8)}`,
      );
    }
  } finally {
    await agent.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
