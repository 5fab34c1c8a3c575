import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";

/** The compiled CLI, built by the vitest global setup. */
export const CLI = path.resolve(__dirname, "..", "..", "dist", "server", "cli.js");

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Spawns `node dist/server/cli.js …` with its output captured. */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const child = spawn(process.execPath, [CLI, ...args], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the ready line and returns the URL it names; fails if the process exits first. */
export async function waitForReady(cli: CliProcess, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  void cli.exited.then((code) => (exitedWith = code));
  while (Date.now() < deadline) {
    const match = /^grants-server listening on (http:\/\/\S+)$/m.exec(cli.stdout());
    if (match) return match[1]!;
    if (exitedWith !== undefined) {
      throw new Error(`grants-server exited (${exitedWith}) before ready: ${cli.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  cli.child.kill("SIGKILL");
  throw new Error(`grants-server not ready within ${timeoutMs} ms: ${cli.stderr()}`);
}
