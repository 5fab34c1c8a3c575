// What the grants provider adds on top of the Pulumi engine. Three stacks go through up, a
// no-change preview, refresh and destroy with the real CLI (through the Automation API, as the
// engine tests do), in one run:
//
// - grants: 1 Provider, 10 Clients and N ClientGrants against a real grant server on loopback;
// - the floor: N + 11 no-op dynamic resources shaped like the grants stack (1 root, 10 that
//   depend on it, N that depend on one of the 10), whose providers (engine-floor-twins.cjs)
//   answer from memory. Each registers the property keys of its grants twin, ends up holding the
//   inputs and outputs the twin's state holds after `up` (a secret stays a secret), and names its
//   provider in a `__provider` text of the same form and size as the grants resources', so the
//   engine and Pulumi's SDK carry the same state for both stacks: the ratio (grants / floor) is
//   what the provider's own work costs (its modules, checks, diffs and API calls, and the server);
// - the thin floor, the floor of earlier runs of this bench: the same no-op resources with only
//   the keys the program passes (3 or 4, against a ClientGrant's 10 and `__provider`), their
//   provider serialized by Pulumi's closure serializer as `pulumi.dynamic.Resource` does (about
//   1.5 KB of code, kept twice per resource). Against it a ratio also counts carrying a grant's
//   full set of properties, and gains what grants save with their smaller provider code: the
//   engine rewrites the whole state after every step, so `up` and `destroy` come out below 1.
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
import type * as DynamicResourceModule from "../provider/shared/dynamic-resource";
import type * as Envelopes from "../plugin/envelopes";

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
  const { providerCode } = (await import(
    path.join(root, "dist/provider/shared/dynamic-resource.js")
  )) as typeof DynamicResourceModule;
  const { unwrapProperties } = (await import(
    path.join(root, "dist/plugin/envelopes.js")
  )) as typeof Envelopes;

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

  // The thin floor's provider, the floor of earlier runs: a self-contained closure, serialized
  // into the state like any other dynamic provider's; it keeps what the program passes.
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

  // The floor's resources: the twin providers of engine-floor-twins.cjs, named in a `__provider`
  // text written like the grants resources' (providerCode), so both states hold the same
  // properties and provider code of the same size, and only the providers' work differs.
  type GrantsKind = "Provider" | "Client" | "ClientGrant";
  const GRANTS_KINDS: readonly GrantsKind[] = ["Provider", "Client", "ClientGrant"];
  const FLOOR_STATE = "GRANTS_BENCH_FLOOR_STATE";
  const twinsModule = path.join(root, "bench/engine-floor-twins.cjs");
  class Twin extends pulumi.CustomResource {
    constructor(
      kind: GrantsKind,
      name: string,
      props: Record<string, unknown>,
      opts?: Pulumi.CustomResourceOptions,
    ) {
      const code = providerCode(twinsModule, kind);
      super(`pulumi-nodejs:dynamic/bench:${kind}`, name, { ...props, __provider: code }, opts);
    }
  }

  // What the program passes, the same for the three stacks.
  const audience = (index: number) => `https://api-${index}.bench.test`;
  const providerArgs = () => ({ name: "bench-issuer", description: "bench" });
  const clientArgs = (c: number, providerId: Pulumi.Input<string>) => ({
    providerId,
    name: `client-${c}`,
    audience: audience(0),
  });
  const grantArgs = (g: number, clientId: Pulumi.Input<string>) => ({
    clientId,
    audience: audience(Math.floor(g / CLIENTS)),
    scopes: ["read"],
  });

  // The floor registers the keys each grants resource registers (known when the grants program
  // has run), the program's values for its arguments and `undefined` for the rest, as grants do.
  const registered: Partial<Record<GrantsKind, readonly string[]>> = {};
  // The keys a resource object got outputs for: the keys it registered (pitfall §2.7), without
  // Pulumi's own (`urn`, `id`, `__provider` and its internal `__` fields).
  const registeredKeys = (resource: Pulumi.CustomResource) =>
    Object.keys(resource).filter(
      (key) =>
        !key.startsWith("__") &&
        key !== "urn" &&
        key !== "id" &&
        pulumi.Output.isInstance((resource as unknown as Record<string, unknown>)[key]),
    );
  const floorProps = (kind: GrantsKind, args: Record<string, unknown>) => {
    const keys = registered[kind];
    if (keys === undefined)
      throw new Error(`the keys a grants ${kind} registers are not known yet`);
    return { ...Object.fromEntries(keys.map((key) => [key, undefined])), ...args };
  };
  // FLOOR_STATE's value: each kind's inputs and outputs as the grants stack's state holds them
  // after `up`, without `__provider`; a secret (held as its ciphertext) becomes a stand-in.
  function floorState(resources: readonly Record<string, unknown>[]): string {
    const plain = (values: unknown) => {
      const { value, secretKeys } = unwrapProperties(values as Record<string, unknown>);
      delete value.__provider;
      for (const key of secretKeys) value[key] = "x".repeat(40);
      return value;
    };
    const state: Record<string, unknown> = {};
    for (const kind of GRANTS_KINDS) {
      const found = resources.find((r) => r.type === `pulumi-nodejs:dynamic/grants:${kind}`);
      if (found === undefined) throw new Error(`the grants stack's state has no ${kind}`);
      state[kind] = { inputs: plain(found.inputs), outputs: plain(found.outputs) };
    }
    return JSON.stringify(state);
  }

  type Kind = "floor" | "grants" | "thin";
  const programs: Record<Kind, () => Promise<void>> = {
    grants: async () => {
      const issuer = new grants.Provider("issuer", providerArgs());
      const clients = Array.from(
        { length: CLIENTS },
        (_, c) => new grants.Client(`client-${c}`, clientArgs(c, issuer.id)),
      );
      const last = Array.from(
        { length: N },
        (_, g) => new grants.ClientGrant(`grant-${g}`, grantArgs(g, clients[g % CLIENTS]!.id)),
      ).at(-1)!;
      registered.Provider ??= registeredKeys(issuer);
      registered.Client ??= registeredKeys(clients[0]!);
      registered.ClientGrant ??= registeredKeys(last);
    },
    floor: async () => {
      const issuer = new Twin("Provider", "issuer", floorProps("Provider", providerArgs()));
      // A Client's secret is a secret output (its constructor says so); the floor's too.
      const secretOutputs = { additionalSecretOutputs: ["clientSecret"] };
      const clients = Array.from(
        { length: CLIENTS },
        (_, c) =>
          new Twin(
            "Client",
            `client-${c}`,
            floorProps("Client", clientArgs(c, issuer.id)),
            secretOutputs,
          ),
      );
      for (let g = 0; g < N; g++) {
        const args = grantArgs(g, clients[g % CLIENTS]!.id);
        new Twin("ClientGrant", `grant-${g}`, floorProps("ClientGrant", args));
      }
    },
    thin: async () => {
      const issuer = new Noop("issuer", { description: "bench" });
      const clients = Array.from(
        { length: CLIENTS },
        (_, c) => new Noop(`client-${c}`, { providerId: issuer.id, audience: audience(0) }),
      );
      for (let g = 0; g < N; g++) {
        new Noop(`grant-${g}`, grantArgs(g, clients[g % CLIENTS]!.id));
      }
    },
  };

  async function stackFor(kind: Kind, extraEnv: Record<string, string>) {
    const projectName = `bench-${kind}`;
    // A workspace directory each: the project file in it names one project, and the stacks live
    // side by side for the whole run.
    const workDir = path.join(base, `workspace-${kind}`);
    mkdirSync(workDir);
    const stack = await automation.LocalWorkspace.createOrSelectStack(
      { stackName: `s${randomUUID().slice(0, 8)}`, projectName, program: programs[kind] },
      {
        workDir,
        pulumiHome: homeDir,
        envVars: { ...env, ...extraEnv },
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
  // The stacks take turns at every step (floor, grants, thin floor, floor, ...), so a change in
  // the machine's load during the run falls on all of them rather than on whichever ran last.
  // `up` goes grants first: the floor is shaped after the grants stack's state.
  const REPEATS = 5;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const KINDS: readonly Kind[] = ["floor", "grants", "thin"];
  const UP_ORDER: readonly Kind[] = ["grants", "floor", "thin"];

  interface Measured {
    /** Seconds of each run, per operation. */
    readonly runs: Record<Operation, number[]>;
    /** CPU seconds of each run, per operation: the CLI and its processes, and this process. */
    readonly cpu: Record<Operation, { cli: number; here: number }[]>;
    /** The state's size after `up`, per resource: what the engine rewrites after every step. */
    stateBytesPerResource: number;
  }

  async function timeAll(): Promise<Record<Kind, Measured>> {
    const stacks: Partial<Record<Kind, Awaited<ReturnType<typeof stackFor>>>> = {};
    let twinState: string | undefined;
    const nothingYet = (): Measured => ({
      runs: { up: [], preview: [], refresh: [], destroy: [] },
      cpu: { up: [], preview: [], refresh: [], destroy: [] },
      stateBytesPerResource: 0,
    });
    const measured: Record<Kind, Measured> = {
      floor: nothingYet(),
      grants: nothingYet(),
      thin: nothingYet(),
    };
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
    for (const kind of UP_ORDER) {
      const stack = await stackFor(kind, kind === "floor" ? { [FLOOR_STATE]: twinState! } : {});
      stacks[kind] = stack;
      await timed(kind, "up", async () => {
        const result = await stack.up();
        const created = result.summary.resourceChanges?.create ?? 0;
        if (created !== N + CLIENTS + 2) throw new Error(`${kind} up created ${created} resources`);
      });
      const exported = await stack.exportStack();
      const resources = (exported.deployment as { resources: Record<string, unknown>[] }).resources;
      if (kind === "grants") twinState = floorState(resources);
      measured[kind].stateBytesPerResource =
        Buffer.byteLength(JSON.stringify(exported)) / resources.length;
    }
    for (let attempt = 0; attempt < REPEATS; attempt++) {
      for (const kind of KINDS) {
        await timed(kind, "preview", () => stacks[kind]!.preview({ expectNoChanges: true }));
      }
    }
    for (let attempt = 0; attempt < REPEATS; attempt++) {
      for (const kind of KINDS) {
        await timed(kind, "refresh", () => stacks[kind]!.refresh({ expectNoChanges: true }));
      }
    }
    for (const kind of KINDS) {
      await timed(kind, "destroy", () => stacks[kind]!.destroy());
      await stacks[kind]!.workspace.removeStack(stacks[kind]!.name);
    }
    return measured;
  }

  try {
    const started = new Date().toISOString();
    const load = os.loadavg().map((value) => value.toFixed(2));
    const measured = await timeAll();
    const seconds = (kind: Kind, operation: Operation) => median(measured[kind].runs[operation]);
    const ratio = (operation: Operation, floor: Kind = "floor") =>
      seconds("grants", operation) / seconds(floor, operation);
    // The ratio of each turn's pair (floor run, grants run right after it): how far one
    // measurement of the ratio strays, next to the ratio of the medians.
    const pairRatios = (operation: Operation) =>
      measured.grants.runs[operation].map(
        (value, index) => value / measured.floor.runs[operation][index]!,
      );
    console.log(
      `engine floor vs grants: N = ${N} grants, ${CLIENTS} clients, 1 provider; ` +
        `${N + CLIENTS + 1} no-op resources for each floor; node ${process.version}, ` +
        `${os.cpus().length} cpus, load ${load.join(" ")} at ${started}`,
    );
    console.log(
      `${"operation".padEnd(10)} ${"floor s".padStart(9)} ${"grants s".padStart(9)} ` +
        `${"ratio".padStart(7)}  ${"pair ratios".padEnd(11)}  ${"thin s".padStart(7)} ${"vs thin".padStart(8)}`,
    );
    for (const operation of OPERATIONS) {
      const pairs = pairRatios(operation);
      console.log(
        `${operation.padEnd(10)} ${seconds("floor", operation).toFixed(2).padStart(9)} ` +
          `${seconds("grants", operation).toFixed(2).padStart(9)} ` +
          `${ratio(operation).toFixed(3).padStart(7)}  ` +
          (pairs.length > 1
            ? `${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}`
            : "(one run)"
          ).padEnd(11) +
          `  ${seconds("thin", operation).toFixed(2).padStart(7)} ` +
          `${ratio(operation, "thin").toFixed(3).padStart(8)}`,
      );
    }
    const cpu = (kind: Kind, operation: Operation, part: "cli" | "here") =>
      median(measured[kind].cpu[operation].map((run) => run[part]));
    const signed = (value: number) => `${value < 0 ? "−" : "+"}${Math.abs(value).toFixed(2)}`;
    const parts = (values: readonly [number, number], format: (value: number) => string) =>
      `${format(values[0])} / ${format(values[1])}`;
    const cpuOf = (kind: Kind, operation: Operation) =>
      [cpu(kind, operation, "cli"), cpu(kind, operation, "here")] as const;
    console.log(
      "CPU seconds (median), the CLI with its processes / this process (program and server):",
    );
    console.log(
      `${"operation".padEnd(10)} ${"floor".padStart(13)} ${"grants".padStart(13)} ` +
        `${"grants − floor".padStart(15)} ${"thin".padStart(13)}`,
    );
    for (const operation of OPERATIONS) {
      const floorCpu = cpuOf("floor", operation);
      const grantsCpu = cpuOf("grants", operation);
      const difference = [grantsCpu[0] - floorCpu[0], grantsCpu[1] - floorCpu[1]] as const;
      console.log(
        `${operation.padEnd(10)} ${parts(floorCpu, (value) => value.toFixed(2)).padStart(13)} ` +
          `${parts(grantsCpu, (value) => value.toFixed(2)).padStart(13)} ` +
          `${parts(difference, signed).padStart(15)} ` +
          `${parts(cpuOf("thin", operation), (value) => value.toFixed(2)).padStart(13)}`,
      );
    }
    const bytes = (kind: Kind) => Math.round(measured[kind].stateBytesPerResource);
    console.log(
      `state per resource after up: floor ${bytes("floor")} bytes, grants ${bytes("grants")} ` +
        `bytes, thin floor ${bytes("thin")} bytes; keys a ClientGrant registers: ` +
        `${registered.ClientGrant?.length ?? 0}; preview and refresh: median of ${REPEATS} runs ` +
        "each, the stacks taking turns",
    );
    console.log(
      `ratios: ${OPERATIONS.map((operation) => `${operation} ${ratio(operation).toFixed(2)}×`).join(", ")}` +
        ` (against the thin floor: ${OPERATIONS.map((operation) => `${operation} ${ratio(operation, "thin").toFixed(2)}×`).join(", ")})`,
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
