// The grant server on PostgreSQL beside the same server on SQLite, in one run: token minting and
// client-grant listing over 100k grants, each printed as requests per second and as the ratio
// PostgreSQL / SQLite. Both servers run in this process, on loopback, in alternating rounds.
// PostgreSQL comes from scripts/postgres (a throwaway local server) unless
// GRANTS_BENCH_DATABASE_URL names an empty database of your own.
//
// Run: npm run build && node bench/store-postgres.ts [requestsPerRound] [rounds] [grants]
import type * as Server from "../server/index";

const REQUESTS_PER_ROUND = Math.min(Math.max(Number(process.argv[2] ?? 300), 1), 10_000);
const ROUNDS = Math.min(Math.max(Number(process.argv[3] ?? 3), 1), 20);
const GRANTS = Math.min(Math.max(Number(process.argv[4] ?? 100_000), 100), 1_000_000);
const CLIENTS = 1000;
const CONCURRENCY = 8;
const WARMUP_REQUESTS = 50;

async function main(): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  const { randomBytes } = await import("node:crypto");
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { performance } = await import("node:perf_hooks");
  const { DatabaseSync } = await import("node:sqlite");
  const root = path.resolve(__dirname, "..");
  const { startServer } = (await import(path.join(root, "dist/server/index.js"))) as typeof Server;
  const { Agent, request } = await import("undici");
  const { Client } = await import("pg");

  let databaseUrl = process.env.GRANTS_BENCH_DATABASE_URL;
  let postgresDir: string | undefined;
  if (!databaseUrl) {
    const output = execFileSync("bash", [path.join(root, "scripts/postgres"), "start"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    databaseUrl = /^GRANTS_DATABASE_URL=(.+)$/m.exec(output)![1]!;
    postgresDir = /^POSTGRES_DIR=(.+)$/m.exec(output)![1]!;
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), "grants-bench-pg-"));
  const shared = {
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    rateLimitPerMinute: 0,
    adminToken: `uga_${randomBytes(32).toString("base64url")}`,
    masterKey: randomBytes(32).toString("base64url"),
  };
  const sqlite = await startServer({ ...shared, dataDir });
  const postgres = await startServer({
    ...shared,
    databaseUrl,
    publicUrl: "http://grants.bench.test",
  });
  const agent = new Agent({ connections: CONCURRENCY * 2 });
  try {
    await measure();
  } finally {
    await agent.close();
    await sqlite.close();
    await postgres.close();
    await rm(dataDir, { recursive: true, force: true });
    if (postgresDir) {
      execFileSync("bash", [path.join(root, "scripts/postgres"), "stop", postgresDir], {
        stdio: "inherit",
      });
    }
  }

  async function measure(): Promise<void> {
    const json = {
      authorization: `Bearer ${shared.adminToken}`,
      "content-type": "application/json",
    };

    async function send(
      base: string,
      method: string,
      target: string,
      headers: object,
      body?: string,
    ) {
      const response = await request(`${base}${target}`, {
        method: method as "GET",
        headers: headers as Record<string, string>,
        body,
        dispatcher: agent,
      });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new Error(`${method} ${target} answered ${response.statusCode}: ${text}`);
      }
      return text;
    }

    /** One provider, CLIENTS clients, GRANTS grants (CLIENTS × GRANTS/CLIENTS audiences). */
    async function seed(
      server: Server.RunningServer,
      insertGrants: (ids: string[]) => Promise<void>,
    ) {
      const base = server.url;
      const provider = JSON.parse(
        await send(
          base,
          "POST",
          "/v1/providers",
          json,
          JSON.stringify({
            name: "Bench",
            description: "bench",
            signingAlgorithm: "ES256",
          }),
        ),
      ) as { id: string };
      const clients: { id: string; clientSecret: string }[] = [];
      for (let index = 0; index < CLIENTS; index++) {
        clients.push(
          JSON.parse(
            await send(
              base,
              "POST",
              `/v1/providers/${provider.id}/clients`,
              json,
              JSON.stringify({
                name: `client-${index}`,
                audience: "https://api.bench.test",
              }),
            ),
          ) as { id: string; clientSecret: string },
        );
      }
      await insertGrants(clients.map((client) => client.id));
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clients[0]!.id,
        client_secret: clients[0]!.clientSecret,
        audience: "https://api.bench.test/0",
      }).toString();
      const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
      return [
        {
          name: "POST <issuer>/oauth/token ES256",
          send: () => send(base, "POST", `/p/${provider.id}/oauth/token`, formHeaders, form),
        },
        {
          name: "GET client-grants ?take=50",
          send: () => send(base, "GET", "/api/v2/client-grants?take=50", json),
        },
        {
          name: "GET client-grants ?audience&take=50",
          send: () =>
            send(
              base,
              "GET",
              `/api/v2/client-grants?audience=${encodeURIComponent("https://api.bench.test/7")}&take=50`,
              json,
            ),
        },
        {
          name: "GET client-grants ?client_id (100)",
          send: () => send(base, "GET", `/api/v2/client-grants?client_id=${clients[5]!.id}`, json),
        },
      ];
    }

    const perClient = Math.ceil(GRANTS / CLIENTS);
    const grantId = () =>
      `cgr_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x").slice(0, 16)}`;
    const seedStarted = performance.now();
    const sqliteScenarios = await seed(sqlite, async (ids) => {
      // Straight into the file in one transaction (through the API it would be one fsync each).
      const db = new DatabaseSync(path.join(dataDir, "grants.db"));
      db.exec("PRAGMA busy_timeout = 5000");
      const insert = db.prepare(
        "INSERT INTO client_grants (id, client_id, audience, scope) VALUES (?, ?, ?, '[\"read\"]')",
      );
      db.exec("BEGIN IMMEDIATE");
      for (const id of ids) {
        for (let a = 0; a < perClient; a++)
          insert.run(grantId(), id, `https://api.bench.test/${a}`);
      }
      db.exec("COMMIT");
      db.close();
    });
    const postgresScenarios = await seed(postgres, async (ids) => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(
        `INSERT INTO client_grants (id, client_id, audience, scope)
       SELECT 'cgr_' || substr(md5(c || ':' || a), 1, 16), c, 'https://api.bench.test/' || a, '["read"]'
       FROM unnest($1::text[]) AS c, generate_series(0, $2 - 1) AS a`,
        [ids, perClient],
      );
      await client.query("ANALYZE client_grants");
      await client.end();
    });
    console.log(
      `seeded ${CLIENTS * perClient} grants in each store in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    async function run(scenario: { send: () => Promise<string> }, count: number): Promise<number> {
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < count) {
          next++;
          await scenario.send();
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
      return performance.now() - started;
    }

    {
      const pairs = sqliteScenarios.map((scenario, index) => ({
        name: scenario.name,
        sqlite: scenario,
        postgres: postgresScenarios[index]!,
        elapsed: { sqlite: 0, postgres: 0 },
      }));
      for (const pair of pairs) {
        await run(pair.sqlite, WARMUP_REQUESTS);
        await run(pair.postgres, WARMUP_REQUESTS);
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const pair of pairs) {
          pair.elapsed.sqlite += await run(pair.sqlite, REQUESTS_PER_ROUND);
          pair.elapsed.postgres += await run(pair.postgres, REQUESTS_PER_ROUND);
        }
      }
      const total = REQUESTS_PER_ROUND * ROUNDS;
      console.log(
        `grants-server on PostgreSQL beside SQLite: ${ROUNDS} rounds × ${REQUESTS_PER_ROUND} requests, ${CONCURRENCY} in flight, ${CLIENTS * perClient} grants, loopback, node ${process.version}`,
      );
      console.log(
        `${"scenario".padEnd(38)} ${"sqlite req/s".padStart(13)} ${"postgres req/s".padStart(15)} ${"pg / sqlite".padStart(12)}`,
      );
      for (const pair of pairs) {
        const sqliteRate = (total / pair.elapsed.sqlite) * 1000;
        const postgresRate = (total / pair.elapsed.postgres) * 1000;
        console.log(
          `${pair.name.padEnd(38)} ${sqliteRate.toFixed(0).padStart(13)} ${postgresRate.toFixed(0).padStart(15)} ${(postgresRate / sqliteRate).toFixed(3).padStart(12)}`,
        );
      }
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
