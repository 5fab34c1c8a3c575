import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the PostgreSQL server the store suite and the multi-instance tests use. */
    postgresUrl: string;
  }
}

/**
 * Starts one throwaway PostgreSQL server (scripts/postgres: installed from Debian's packages
 * when absent, data in a temporary directory, loopback, a free port) for the whole run, and
 * stops it at the end. GRANTS_TEST_DATABASE_URL points the tests at a server of your own instead.
 * Tests read the URL with `inject("postgresUrl")`; each test file uses its own database.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  const given = process.env.GRANTS_TEST_DATABASE_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return undefined;
  }
  const script = path.resolve(__dirname, "..", "..", "scripts", "postgres");
  const output = execFileSync("bash", [script, "start"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const value = (name: string) => {
    const line = output.split("\n").find((candidate) => candidate.startsWith(`${name}=`));
    if (!line) throw new Error(`scripts/postgres start printed no ${name}`);
    return line.slice(name.length + 1);
  };
  const directory = value("POSTGRES_DIR");
  project.provide("postgresUrl", value("GRANTS_DATABASE_URL"));
  return () => {
    execFileSync("bash", [script, "stop", directory], { stdio: ["ignore", "ignore", "inherit"] });
  };
}
