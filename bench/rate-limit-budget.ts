// `pulumi up` of N ClientGrants (10 Clients, 1 Provider) against a grant server started with a
// low `--rate-limit`, with the real CLI. Prints the 429s the server answered (goal 0: the
// provider's request budget slows down before the limit) and the time of the up relative to
// N / limit, the least a limit of that many requests per minute allows (goal ≤ 1.1).
//
// Three runs, each on a fresh server: with `grants:maxRequestsPerSecond` set to the limit;
// unset, where only the server's X-RateLimit-* headers pace the provider; and with no limit at
// all, the time the engine and the server need on this machine (when that is above N / limit,
// the engine, not the budget, sets the pace).
//
// Run: npm run build && node bench/rate-limit-budget.ts [--n 500] [--rate-limit 300]
// Node 24 strips the types and runs this file as CommonJS (the package's type), so values are
// loaded with require()/import(): the compiled package from dist/, as users would run it.
import type * as PulumiAutomation from "@pulumi/pulumi/automation";
import type * as Grants from "../provider/index";
import type * as Server from "../server/index";

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

const N = Math.min(Math.max(Number(flag("n") ?? 500), 1), 5000);
const LIMIT_PER_MINUTE = Math.min(Math.max(Number(flag("rate-limit") ?? 300), 10), 100_000);
const CLIENTS = 10;

async function main(): Promise<void> {
  const { mkdirSync, mkdtempSync, rmSync } = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const { performance } = await import("node:perf_hooks");
  const { randomUUID } = await import("node:crypto");
  const root = path.resolve(__dirname, "..");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pulumiEnvironment, toolsDir } = require(path.join(root, "scripts/pulumi-env.cjs")) as {
    pulumiEnvironment(options: { stateDir: string; homeDir: string }): Record<string, string>;
    toolsDir: string;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const automation = require("@pulumi/pulumi/automation") as typeof PulumiAutomation;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grants = require("pulumi-grants") as typeof Grants;
  const { startServer } = (await import(path.join(root, "dist/server/index.js"))) as typeof Server;

  const base = mkdtempSync(path.join(os.tmpdir(), "grants-bench-budget-"));
  const homeDir = path.join(base, "home");
  const env: Record<string, string> = {
    ...pulumiEnvironment({ stateDir: path.join(base, "state"), homeDir }),
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  const pulumiCommand = await automation.PulumiCommand.get({
    root: toolsDir,
    skipVersionCheck: true,
  });
  const audience = (index: number) => `https://api-${index}.bench.test`;
  const program = async () => {
    const issuer = new grants.Provider("issuer", { name: "bench-issuer", description: "bench" });
    const clients = Array.from(
      { length: CLIENTS },
      (_, c) =>
        new grants.Client(`client-${c}`, {
          providerId: issuer.id,
          name: `client-${c}`,
          audience: audience(0),
        }),
    );
    for (let g = 0; g < N; g++) {
      new grants.ClientGrant(`grant-${g}`, {
        clientId: clients[g % CLIENTS]!.id,
        audience: audience(Math.floor(g / CLIENTS)),
        scopes: ["read"],
      });
    }
  };

  /** One `up` on a fresh server and stack; `perSecond` is grants:maxRequestsPerSecond. */
  async function run(perSecond: string | undefined, limitPerMinute = LIMIT_PER_MINUTE) {
    const dataDir = path.join(base, `data-${randomUUID().slice(0, 8)}`);
    const workDir = path.join(base, `work-${randomUUID().slice(0, 8)}`);
    mkdirSync(dataDir);
    mkdirSync(workDir);
    const statuses = new Map<number, number>();
    const server = await startServer({
      dataDir,
      host: "127.0.0.1",
      port: 0,
      logLevel: "info",
      // Fastify logs one "request completed" line per answer, with its status.
      logStream: {
        write(line: string) {
          const match = /"statusCode":(\d{3})/.exec(line);
          if (match && line.includes("request completed")) {
            const status = Number(match[1]);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        },
      },
      rateLimitPerMinute: limitPerMinute,
    });
    try {
      const projectName = "bench-budget";
      const stack = await automation.LocalWorkspace.createOrSelectStack(
        { stackName: `s${randomUUID().slice(0, 8)}`, projectName, program },
        {
          workDir,
          pulumiHome: homeDir,
          envVars: env,
          pulumiCommand,
          projectSettings: {
            name: projectName,
            runtime: "nodejs",
            main: root,
            backend: { url: env.PULUMI_BACKEND_URL! },
          },
        },
      );
      await stack.setAllConfig({
        "grants:apiUrl": { value: server.url },
        "grants:apiToken": { value: server.adminToken, secret: true },
        ...(perSecond === undefined ? {} : { "grants:maxRequestsPerSecond": { value: perSecond } }),
      });
      const started = performance.now();
      const result = await stack.up();
      const seconds = (performance.now() - started) / 1000;
      const created = result.summary.resourceChanges?.create ?? 0;
      if (created !== N + CLIENTS + 2) throw new Error(`up created ${created} resources`);
      // The state and the server's data go with the sandbox: a destroy would take as long again.
      const requests = [...statuses.values()].reduce((sum, count) => sum + count, 0);
      return { seconds, requests, tooMany: statuses.get(429) ?? 0 };
    } finally {
      await server.close();
    }
  }

  try {
    const started = new Date().toISOString();
    const load = os.loadavg().map((value) => value.toFixed(2));
    const floorSeconds = (N * 60) / LIMIT_PER_MINUTE;
    const perSecond = String(LIMIT_PER_MINUTE / 60);
    const withSetting = await run(perSecond);
    const headersOnly = await run(undefined);
    // The same up with no limit: what the engine and the server take on this machine, so a
    // ratio above 1 can be told apart from an engine slower than the limit.
    const unlimited = await run(undefined, 0);
    console.log(
      `request budget: up of ${N} grants, ${CLIENTS} clients, 1 provider against --rate-limit ` +
        `${LIMIT_PER_MINUTE} (per minute, fixed window); N / limit = ${floorSeconds.toFixed(1)} s; ` +
        `node ${process.version}, ${os.cpus().length} cpus, load ${load.join(" ")} at ${started}`,
    );
    console.log(
      `${"grants:maxRequestsPerSecond".padEnd(28)} ${"requests".padStart(8)} ${"429s".padStart(5)} ` +
        `${"up s".padStart(8)} ${"/ (N/limit)".padStart(11)}`,
    );
    for (const [label, row] of [
      [perSecond, withSetting],
      ["(unset: headers only)", headersOnly],
      ["(no --rate-limit at all)", unlimited],
    ] as const) {
      console.log(
        `${label.padEnd(28)} ${String(row.requests).padStart(8)} ${String(row.tooMany).padStart(5)} ` +
          `${row.seconds.toFixed(1).padStart(8)} ${(row.seconds / floorSeconds).toFixed(3).padStart(11)}`,
      );
    }
    console.log(
      `ratios: budget 429s ${withSetting.tooMany} (${(withSetting.seconds / floorSeconds).toFixed(2)}× N/limit), ` +
        `headers only 429s ${headersOnly.tooMany} (${(headersOnly.seconds / floorSeconds).toFixed(2)}× N/limit); ` +
        `unlimited up ${unlimited.seconds.toFixed(1)} s`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
