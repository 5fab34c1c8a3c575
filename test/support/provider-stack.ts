import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import type {
  EngineEvent,
  LocalWorkspaceOptions,
  PulumiFn,
  Stack,
} from "@pulumi/pulumi/automation";
import type { PulumiSandbox } from "./pulumi-engine";

const run = promisify(execFile);

/** Where a grants stack points: the grant server's URL and its admin token. */
export interface GrantsTarget {
  readonly url: string;
  readonly adminToken: string;
}

/** A stack whose every operation's CLI output and engine events are kept for assertions. */
export interface RecordedStack {
  readonly stack: Stack;
  /** Everything the CLI printed, over every operation so far. */
  output(): string;
  /** Engine events of the operations so far. */
  events(): EngineEvent[];
  /** Options that record output and events; pass them (merged) to each operation. */
  record<T extends object>(
    options?: T,
  ): T & {
    onOutput(text: string): void;
    onError(text: string): void;
    onEvent(event: EngineEvent): void;
  };
}

/**
 * An inline-program stack on the sandbox's file backend, configured for the grant server:
 * `grants:apiUrl` in plain text, `grants:apiToken` as a secret.
 */
export async function createGrantsStack(
  sandbox: PulumiSandbox,
  options: {
    readonly projectName: string;
    readonly program: PulumiFn;
    readonly target: GrantsTarget;
    /** The project's `main`: the dynamic-provider plugin's working directory. */
    readonly main?: string;
    /**
     * Another copy of the Automation API (a consumer project's) and its workspace options;
     * default: this repository's, with the sandbox's options.
     */
    readonly automation?: {
      readonly LocalWorkspace: typeof LocalWorkspace;
      readonly options: LocalWorkspaceOptions;
    };
  },
): Promise<RecordedStack> {
  const workspace = options.automation?.LocalWorkspace ?? LocalWorkspace;
  const stack = await workspace.createOrSelectStack(
    {
      stackName: `s${randomUUID().slice(0, 8)}`,
      projectName: options.projectName,
      program: options.program,
    },
    options.automation?.options ??
      (await sandbox.workspaceOptions(options.projectName, options.main)),
  );
  await stack.setAllConfig({
    "grants:apiUrl": { value: options.target.url },
    "grants:apiToken": { value: options.target.adminToken, secret: true },
  });
  let output = "";
  const events: EngineEvent[] = [];
  return {
    stack,
    output: () => output,
    events: () => events,
    record: (extra) =>
      ({
        ...(extra ?? {}),
        onOutput: (text: string) => (output += text),
        onError: (text: string) => (output += text),
        onEvent: (event: EngineEvent) => events.push(event),
      }) as never,
  };
}

/** The URNs and operations of the steps in `events` (creates, updates, replaces, deletes…). */
export function stepsOf(
  events: readonly EngineEvent[],
): { op: string; urn: string; diffs: string[] }[] {
  return events.flatMap((event) =>
    event.resourcePreEvent === undefined
      ? []
      : [
          {
            op: event.resourcePreEvent.metadata.op,
            urn: event.resourcePreEvent.metadata.urn,
            diffs: event.resourcePreEvent.metadata.diffs ?? [],
          },
        ],
  );
}

/** Fails naming the label of every needle found in plaintext in any haystack. */
export function plaintextLeaks(
  haystacks: Readonly<Record<string, string>>,
  needles: Readonly<Record<string, string | undefined>>,
): string[] {
  const leaks: string[] = [];
  for (const [needleName, needle] of Object.entries(needles)) {
    if (needle === undefined || needle.length < 8) continue;
    for (const [haystackName, haystack] of Object.entries(haystacks)) {
      if (haystack.includes(needle)) leaks.push(`${needleName} in ${haystackName}`);
    }
  }
  return leaks;
}

/**
 * The stack state as it is stored, secrets encrypted: `pulumi stack export` without
 * `--show-secrets` (the Automation API's `exportStack()` adds that flag, so it shows every secret
 * in plaintext by design), followed by every file of the file backend (checkpoints, backups,
 * history), decompressed.
 */
export async function storedStateText(recorded: RecordedStack, stateDir: string): Promise<string> {
  const workspace = recorded.stack.workspace as LocalWorkspace;
  const exported = await run(
    workspace.pulumiCommand.command,
    ["stack", "export", "--stack", recorded.stack.name, "--non-interactive"],
    {
      cwd: workspace.workDir,
      env: {
        ...process.env,
        ...(workspace.pulumiHome === undefined ? {} : { PULUMI_HOME: workspace.pulumiHome }),
        ...workspace.envVars,
      },
    },
  );
  // Guard the guard: a state without encrypted values would mean this read the wrong thing.
  if (!exported.stdout.includes('"ciphertext"')) {
    throw new Error("pulumi stack export showed no encrypted value; is --show-secrets on?");
  }
  const files = readdirSync(stateDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const bytes = readFileSync(path.join(entry.parentPath, entry.name));
      return entry.name.endsWith(".gz") ? gunzipSync(bytes).toString() : bytes.toString();
    });
  return [exported.stdout, ...files].join("\n");
}
