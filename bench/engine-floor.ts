// What the grants provider adds on top of the Pulumi engine. Two stacks go through up, a
// no-change preview, refresh and destroy with the real CLI (through the Automation API, as the
// engine tests do), in one run:
//
// - the floor: N + 11 no-op dynamic resources shaped like the grants stack (1 root, 10 that
//   depend on it, N that depend on one of the 10), whose provider answers from memory;
// - grants: 1 Provider, 10 Clients and N ClientGrants against a real grant server on loopback.
//
// Each ratio (grants / floor) is what a user pays beyond the engine's own cost per resource.
// The engine rewrites the whole state after every step, so the state's size per resource is
// part of both: the floor's no-op provider is serialized by Pulumi's closure serializer (about
// 1.5 KB of code, kept twice per resource), where grants store under 600 bytes of provider
// code; the table prints both sizes, and `up` and `destroy` may come out below 1.
//
// Beside the wall-clock times, the table prints the CPU time each run took, in two parts: the
// CLI with every process it started (engine, language host, dynamic-provider plugin), and this
// process, where the inline program runs beside the grant server. On a 2-core machine the two
// add up to well over the wall-clock time (a no-change preview: about 1.5 times it), so a run is
// bound by all the CPU it needs, wherever it is spent. (Linux only: the CLI's part is read from
// /proc.)
//
// Run: npm run build && node bench/engine-floor.ts [--n 500] [--profile DIR]
// `--profile DIR` writes V8 CPU profiles of every Node process the CLI starts (the program host
// and the dynamic-provider plugin) into DIR; `node --cpu-prof bench/engine-floor.ts` profiles
// the grant server (this process) too. `node bench/profile-summary.ts DIR` summarizes them.
// Node 24 strips the types and runs this file as CommonJS (the package's type), so values are
// loaded with require()/import(): the compiled package from dist/, as users would run it.
import type * as PulumiAutomation from "@pulumi/pulumi/automation";
import type * as Pulumi from "@pulumi/pulumi";
import type * as Grants from "../provider/index";
import type * as Server from "../server/index";

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

const N = Math.min(Math.max(Number(flag("n") ?? 500), 1), 5000);
const PROFILE_DIR = flag("profile");
const CLIENTS = 10;
const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

async function main(): Promise<void> {
  const { mkdirSync, mkdtempSync, readFileSync, rmSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
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
  const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grants = require("pulumi-grants") as typeof Grants;
  const { startServer } = (await import(path.join(root, "dist/server/index.js"))) as typeof Server;

  // CPU seconds of this process's finished children and everything they waited for: fields 16
  // and 17 (cutime, cstime) of /proc/self/stat, in clock ticks (proc(5)); undefined elsewhere.
  const ticksPerSecond = (() => {
    try {
      return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      return 100;
    }
  })();
  const childrenCpuSeconds = (): number | undefined => {
    try {
      // The command name (field 2) may hold spaces; the fields after it start at field 3.
      const stat = readFileSync("/proc/self/stat", "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / ticksPerSecond;
    } catch {
      return undefined;
    }
  };

  const base = mkdtempSync(path.join(os.tmpdir(), "grants-bench-engine-"));
  const stateDir = path.join(base, "state");
  const homeDir = path.join(base, "home");
  const dataDir = path.join(base, "data");
  mkdirSync(dataDir);
  const env: Record<string, string> = {
    ...pulumiEnvironment({ stateDir, homeDir }),
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  if (PROFILE_DIR !== undefined) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    // profile-exit.cjs turns the engine's SIGINT to its plugins into a normal exit, which is
    // when --cpu-prof writes the profile of the dynamic-provider process.
    env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${path.resolve(PROFILE_DIR)} --require ${path.join(root, "bench/profile-exit.cjs")}`;
  }
  const pulumiCommand = await automation.PulumiCommand.get({
    root: toolsDir,
    skipVersionCheck: true,
  });

  const server = await startServer({
    dataDir,
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    rateLimitPerMinute: 0,
  });

  // The floor's provider: a self-contained closure, serialized into the state like any other.
  const noop: Pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
      return { id: `noop-${inputs.name}`, outs: inputs };
    },
    async read(id, props) {
      return { id, props, inputs: props };
    },
    async diff() {
      return { changes: false };
    },
    async update(_id, _olds, news) {
      return { outs: news };
    },
    async delete() {},
  };
  class Noop extends pulumi.dynamic.Resource {
    declare readonly name: Pulumi.Output<string>;
    constructor(name: string, props: Record<string, unknown>) {
      super(noop, name, { name, ...props }, undefined, "bench", "Noop");
    }
  }

  const audience = (index: number) => `https://api-${index}.bench.test`;
  const programs: Record<"floor" | "grants", () => Promise<void>> = {
    floor: async () => {
      const issuer = new Noop("issuer", { description: "bench" });
      const clients = Array.from(
        { length: CLIENTS },
        (_, c) => new Noop(`client-${c}`, { providerId: issuer.id, audience: audience(0) }),
      );
      for (let g = 0; g < N; g++) {
        new Noop(`grant-${g}`, {
          clientId: clients[g % CLIENTS]!.id,
          audience: audience(Math.floor(g / CLIENTS)),
          scopes: ["read"],
        });
      }
    },
    grants: async () => {
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
    },
  };

  async function stackFor(kind: "floor" | "grants") {
    const projectName = `bench-${kind}`;
    // A workspace directory each: the project file in it names one project, and both stacks live
    // side by side for the whole run.
    const workDir = path.join(base, `workspace-${kind}`);
    mkdirSync(workDir);
    const stack = await automation.LocalWorkspace.createOrSelectStack(
      { stackName: `s${randomUUID().slice(0, 8)}`, projectName, program: programs[kind] },
      {
        workDir,
        pulumiHome: homeDir,
        envVars: env,
        pulumiCommand,
        projectSettings: {
          name: projectName,
          runtime: "nodejs",
          // The dynamic-provider plugin runs here and loads pulumi-grants from node_modules.
          main: root,
          backend: { url: env.PULUMI_BACKEND_URL! },
        },
      },
    );
    await stack.setAllConfig({
      "grants:apiUrl": { value: server.url },
      "grants:apiToken": { value: server.adminToken, secret: true },
    });
    return stack;
  }

  // `preview` and `refresh` change nothing and take a few seconds, where one run's noise on a
  // shared 2-core machine is a tenth of the time: each runs REPEATS times and the median counts.
  // The two stacks take turns at every step (floor, grants, floor, grants, ...), so a change in
  // the machine's load during the run falls on both rather than on whichever ran second.
  const REPEATS = 5;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  type Kind = "floor" | "grants";
  const KINDS: readonly Kind[] = ["floor", "grants"];

  interface Measured {
    /** Seconds of each run, per operation. */
    readonly runs: Record<Operation, number[]>;
    /** CPU seconds of each run, per operation: the CLI and its processes, and this process. */
    readonly cpu: Record<Operation, { cli: number; here: number }[]>;
    /** The state's size after `up`, per resource: what the engine rewrites after every step. */
    stateBytesPerResource: number;
  }

  async function timeAll(): Promise<Record<Kind, Measured>> {
    const stacks = { floor: await stackFor("floor"), grants: await stackFor("grants") };
    const nothingYet = (): Measured => ({
      runs: { up: [], preview: [], refresh: [], destroy: [] },
      cpu: { up: [], preview: [], refresh: [], destroy: [] },
      stateBytesPerResource: 0,
    });
    const measured: Record<Kind, Measured> = { floor: nothingYet(), grants: nothingYet() };
    const timed = async (kind: Kind, operation: Operation, run: () => Promise<unknown>) => {
      const started = performance.now();
      const cliBefore = childrenCpuSeconds();
      const hereBefore = process.cpuUsage();
      await run();
      measured[kind].runs[operation].push((performance.now() - started) / 1000);
      const here = process.cpuUsage(hereBefore);
      const cliAfter = childrenCpuSeconds();
      measured[kind].cpu[operation].push({
        cli: cliAfter === undefined || cliBefore === undefined ? NaN : cliAfter - cliBefore,
        here: (here.user + here.system) / 1e6,
      });
    };
    for (const kind of KINDS) {
      const stack = stacks[kind];
      await timed(kind, "up", async () => {
        const result = await stack.up();
        const created = result.summary.resourceChanges?.create ?? 0;
        if (created !== N + CLIENTS + 2) throw new Error(`${kind} up created ${created} resources`);
      });
      const exported = await stack.exportStack();
      const resources = (exported.deployment as { resources: unknown[] }).resources.length;
      measured[kind].stateBytesPerResource =
        Buffer.byteLength(JSON.stringify(exported)) / resources;
    }
    for (let attempt = 0; attempt < REPEATS; attempt++) {
      for (const kind of KINDS) {
        await timed(kind, "preview", () => stacks[kind].preview({ expectNoChanges: true }));
      }
    }
    for (let attempt = 0; attempt < REPEATS; attempt++) {
      for (const kind of KINDS) {
        await timed(kind, "refresh", () => stacks[kind].refresh({ expectNoChanges: true }));
      }
    }
    for (const kind of KINDS) {
      await timed(kind, "destroy", () => stacks[kind].destroy());
      await stacks[kind].workspace.removeStack(stacks[kind].name);
    }
    return measured;
  }

  try {
    const started = new Date().toISOString();
    const load = os.loadavg().map((value) => value.toFixed(2));
    const { floor, grants: measured } = await timeAll();
    const seconds = (of: Measured, operation: Operation) => median(of.runs[operation]);
    const ratio = (operation: Operation) =>
      seconds(measured, operation) / seconds(floor, operation);
    // The ratio of each turn's pair (floor run, grants run right after it): how far one
    // measurement of the ratio strays, next to the ratio of the medians.
    const pairRatios = (operation: Operation) =>
      measured.runs[operation].map((value, index) => value / floor.runs[operation][index]!);
    console.log(
      `engine floor vs grants: N = ${N} grants, ${CLIENTS} clients, 1 provider; ` +
        `${N + CLIENTS + 1} no-op resources for the floor; node ${process.version}, ` +
        `${os.cpus().length} cpus, load ${load.join(" ")} at ${started}`,
    );
    console.log(
      `${"operation".padEnd(10)} ${"floor s".padStart(9)} ${"grants s".padStart(9)} ${"ratio".padStart(7)}  pair ratios`,
    );
    for (const operation of OPERATIONS) {
      const pairs = pairRatios(operation);
      console.log(
        `${operation.padEnd(10)} ${seconds(floor, operation).toFixed(2).padStart(9)} ` +
          `${seconds(measured, operation).toFixed(2).padStart(9)} ` +
          `${ratio(operation).toFixed(3).padStart(7)}  ` +
          (pairs.length > 1
            ? `${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}`
            : "(one run)"),
      );
    }
    const cpu = (of: Measured, operation: Operation, part: "cli" | "here") =>
      median(of.cpu[operation].map((run) => run[part]));
    const signed = (value: number) => `${value < 0 ? "−" : "+"}${Math.abs(value).toFixed(2)}`;
    const parts = (values: readonly [number, number], format: (value: number) => string) =>
      `${format(values[0])} / ${format(values[1])}`;
    const cpuOf = (of: Measured, operation: Operation) =>
      [cpu(of, operation, "cli"), cpu(of, operation, "here")] as const;
    console.log(
      "CPU seconds (median), the CLI with its processes / this process (program and server):",
    );
    console.log(
      `${"operation".padEnd(10)} ${"floor".padStart(13)} ${"grants".padStart(13)} ${"grants − floor".padStart(15)}`,
    );
    for (const operation of OPERATIONS) {
      const floorCpu = cpuOf(floor, operation);
      const grantsCpu = cpuOf(measured, operation);
      const difference = [grantsCpu[0] - floorCpu[0], grantsCpu[1] - floorCpu[1]] as const;
      console.log(
        `${operation.padEnd(10)} ${parts(floorCpu, (value) => value.toFixed(2)).padStart(13)} ` +
          `${parts(grantsCpu, (value) => value.toFixed(2)).padStart(13)} ` +
          `${parts(difference, signed).padStart(15)}`,
      );
    }
    console.log(
      `state per resource after up: floor ${Math.round(floor.stateBytesPerResource)} bytes, ` +
        `grants ${Math.round(measured.stateBytesPerResource)} bytes; preview and refresh: ` +
        `median of ${REPEATS} runs each, the two stacks taking turns`,
    );
    console.log(
      `ratios: ${OPERATIONS.map((operation) => `${operation} ${ratio(operation).toFixed(2)}×`).join(", ")}`,
    );
  } finally {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
