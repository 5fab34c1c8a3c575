// Prints where the time of V8 CPU profiles goes: for each .cpuprofile in a directory (as
// `--cpu-prof` writes them), the total sampled time and the functions with the most self time,
// grouped by function and file (node_modules paths shortened to the package).
//
// Run: node bench/profile-summary.ts DIR [top]
// Node 24 strips the types and runs this file as CommonJS (the package's type).
import type * as Fs from "node:fs";
import type * as Path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readFileSync, readdirSync } = require("node:fs") as typeof Fs;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const path = require("node:path") as typeof Path;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const dir = process.argv[2];
const TOP = Math.min(Math.max(Number(process.argv[3] ?? 25), 1), 200);
if (dir === undefined) {
  console.error("usage: node bench/profile-summary.ts DIR [top]");
  process.exit(2);
}

function where(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes("/dist/")) return `dist/${url.split("/dist/")[1]}`;
  return url === "" ? "(native)" : url.replace(/^file:\/\//, "").replace(/^node:/, "node:");
}

for (const file of readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"))) {
  const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time per node from the sample stream (time deltas in µs), else from hit counts.
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
  }
  const totals = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} ${where(url)}:${lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + micros);
    const pkg = where(url).split(":")[0]!;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  }
  const ms = (micros: number) => (micros / 1000).toFixed(0).padStart(7);
  console.log(
    `\n${file}: ${ms(total)} ms sampled over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`,
  );
  console.log("  by package/file (self time):");
  for (const [pkg, micros] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${ms(micros)} ms  ${pkg}`);
  }
  console.log("  by function (self time):");
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`  ${ms(micros)} ms  ${key}`);
  }
}
