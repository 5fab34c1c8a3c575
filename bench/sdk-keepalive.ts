// Requests per second through the sdk client with its keep-alive Agent, against the same client
// given an Agent that opens a fresh connection per request (undici `pipelining: 0`). Both send
// `GET /v1/providers/{id}` to a real grant server on loopback, in alternating rounds, so the
// ratio is measured in one process under the same conditions.
//
// Run: npm run build && node bench/sdk-keepalive.ts [requestsPerRound] [rounds]
// Node 24 strips the types and runs this file as CommonJS (the package's type), so values are
// loaded with import(): the compiled sdk and server from dist/, as users would run them.
import type * as Sdk from "../sdk/index";
import type * as Server from "../server/index";

const REQUESTS_PER_ROUND = Math.min(Number(process.argv[2] ?? 1000), 20_000);
const ROUNDS = Math.min(Number(process.argv[3] ?? 5), 50);
const WARMUP_REQUESTS = 100;

async function main(): Promise<void> {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { performance } = await import("node:perf_hooks");
  const root = path.resolve(__dirname, "..");
  const sdk = (await import(path.join(root, "dist/sdk/index.js"))) as typeof Sdk;
  const { startServer } = (await import(path.join(root, "dist/server/index.js"))) as typeof Server;
  const { Agent, request } = await import("undici");

  const dataDir = await mkdtemp(path.join(tmpdir(), "grants-bench-"));
  const server = await startServer({
    dataDir,
    port: 0,
    logLevel: "silent",
    rateLimitPerMinute: 0,
  });
  const freshAgent = new Agent({ pipelining: 0 });
  const rawAgent = new Agent();
  const keepAlive = sdk.createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  const fresh = sdk.createGrantsClient({
    apiUrl: server.url,
    apiToken: server.adminToken,
    dispatcher: freshAgent,
  });

  try {
    const provider = await keepAlive.providers.create({ name: "bench", description: "keep-alive" });
    const round = async (client: Sdk.GrantsClient, requests: number): Promise<number> => {
      const started = performance.now();
      for (let i = 0; i < requests; i += 1) await client.providers.get(provider.id);
      return (requests / (performance.now() - started)) * 1000;
    };
    // The same request with bare undici on a keep-alive Agent: what the sdk's checks cost.
    const url = `${server.url}/v1/providers/${encodeURIComponent(provider.id)}`;
    const headers = { authorization: `Bearer ${server.adminToken}`, accept: "application/json" };
    const rawRound = async (requests: number): Promise<number> => {
      const started = performance.now();
      for (let i = 0; i < requests; i += 1) {
        const answer = await request(url, { dispatcher: rawAgent, headers });
        JSON.parse(await answer.body.text());
      }
      return (requests / (performance.now() - started)) * 1000;
    };
    await round(keepAlive, WARMUP_REQUESTS);
    await round(fresh, WARMUP_REQUESTS);
    await rawRound(WARMUP_REQUESTS);

    const rates = { keepAlive: [] as number[], fresh: [] as number[], raw: [] as number[] };
    for (let r = 0; r < ROUNDS; r += 1) {
      rates.keepAlive.push(await round(keepAlive, REQUESTS_PER_ROUND));
      rates.fresh.push(await round(fresh, REQUESTS_PER_ROUND));
      rates.raw.push(await rawRound(REQUESTS_PER_ROUND));
    }
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    };
    const keepAliveRate = median(rates.keepAlive);
    const freshRate = median(rates.fresh);
    const rawRate = median(rates.raw);
    console.log(
      `sdk keep-alive bench: ${ROUNDS} rounds × ${REQUESTS_PER_ROUND} sequential GET /v1/providers/{id}, loopback, Node ${process.version}`,
    );
    console.log(
      `  keep-alive Agent            ${keepAliveRate.toFixed(0).padStart(7)} req/s (median)`,
    );
    console.log(`  fresh connection / request  ${freshRate.toFixed(0).padStart(7)} req/s (median)`);
    console.log(
      `  bare undici, keep-alive     ${rawRate.toFixed(0).padStart(7)} req/s (median, reference)`,
    );
    console.log(`  ratio keep-alive / fresh    ${(keepAliveRate / freshRate).toFixed(2)}×`);
    console.log(`  ratio sdk / bare undici     ${(keepAliveRate / rawRate).toFixed(2)}×`);
  } finally {
    await keepAlive.close();
    await fresh.close();
    await freshAgent.close();
    await rawAgent.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
