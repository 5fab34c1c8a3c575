#!/usr/bin/env node
import "./require-node-version";
import path from "node:path";
import { parseArgs } from "node:util";
import { ADMIN_TOKEN_FILE, startServer } from "./index";
import type { RunningServer } from "./index";
import { SERVER_VERSION } from "./version";

const USAGE = `Usage: grants-server [options]

Runs the grant server: useGrant-compatible /v1 API, Auth0-compatible /api/v2/client-grants,
and an OIDC issuer (discovery, JWKS, OAuth client_credentials) per provider.

Options:
  --host <address>       interface to listen on (default 127.0.0.1)
  --port <number>        TCP port, 0 for any free port (default 4000)
  --data-dir <path>      database and generated secrets (default ./.grants)
  --database-url <url>   postgres://… : use that PostgreSQL database instead of SQLite, so
                         several instances serve one set of providers; then --public-url,
                         GRANTS_ADMIN_TOKEN and GRANTS_MASTER_KEY are required, alike everywhere
  --key-cache-seconds <n>
                         how long signing keys are cached and a new key is published before it
                         signs (default 10 with --database-url, 0 with SQLite)
  --public-url <url>     base URL clients use, if not http://HOST:PORT (proxies, containers)
  --rate-limit <n>       management requests per minute per token, 0 = off (default 1000)
  --body-limit <bytes>   largest accepted request body (default 65536)
  --log-level <level>    fatal, error, warn, info, debug, trace or silent (default info)
  -h, --help             show this help
  -v, --version          show the version

Environment:
  GRANTS_ADMIN_TOKEN     management bearer token; when unset one is generated on first start,
                         stored in <data-dir>/${ADMIN_TOKEN_FILE} (mode 0600); the path is printed, not the token
  GRANTS_MASTER_KEY      32-byte key (base64, base64url or hex) sealing signing keys at rest;
                         when unset <data-dir>/master.key is generated and used
  GRANTS_DATABASE_URL    like --database-url (the flag wins)

Prints "grants-server listening on <url>" on stdout when ready; logs are JSON lines on stderr.`;

const LOG_LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/** A command-line mistake: reported with a usage hint and exit status 2. */
class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "data-dir": { type: "string" },
        "database-url": { type: "string" },
        "key-cache-seconds": { type: "string" },
        "public-url": { type: "string" },
        "rate-limit": { type: "string" },
        "body-limit": { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    }));
  } catch (error) {
    return usageFailure((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${SERVER_VERSION}\n`);
    return 0;
  }

  let options;
  try {
    const logLevel = values["log-level"] ?? "info";
    if (!LOG_LEVELS.has(logLevel)) throw new UsageError(`--log-level: unknown level "${logLevel}"`);
    const publicUrl = values["public-url"];
    if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(publicUrl)) {
      throw new UsageError("--public-url: must be an http:// or https:// URL");
    }
    const databaseUrl = values["database-url"] ?? (process.env.GRANTS_DATABASE_URL || undefined);
    if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
      throw new UsageError("--database-url: must be a postgres:// or postgresql:// URL");
    }
    const keyCache = values["key-cache-seconds"];
    options = {
      host: values.host ?? "127.0.0.1",
      port: integerFlag("--port", values.port, 4000, 0, 65535),
      dataDir: path.resolve(values["data-dir"] ?? ".grants"),
      rateLimitPerMinute: integerFlag("--rate-limit", values["rate-limit"], 1000, 0),
      bodyLimitBytes: integerFlag("--body-limit", values["body-limit"], 65536, 1),
      logLevel,
      ...(publicUrl === undefined ? {} : { publicUrl }),
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
      ...(keyCache === undefined
        ? {}
        : { keyCacheSeconds: integerFlag("--key-cache-seconds", keyCache, 0, 0, 3600) }),
      ...(process.env.GRANTS_ADMIN_TOKEN ? { adminToken: process.env.GRANTS_ADMIN_TOKEN } : {}),
      ...(process.env.GRANTS_MASTER_KEY ? { masterKey: process.env.GRANTS_MASTER_KEY } : {}),
    };
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message);
    throw error;
  }

  let server: RunningServer;
  try {
    server = await startServer(options);
  } catch (error) {
    process.stderr.write(`grants-server: ${startFailure(error, options.host, options.port)}\n`);
    return 1;
  }

  if (server.adminTokenGenerated) {
    // Where it is, never the token itself: stderr is often a log file that others can read.
    process.stderr.write(
      `grants-server: generated an admin token, stored in ${path.join(options.dataDir, ADMIN_TOKEN_FILE)} (mode 0600); read it from there\n`,
    );
  }
  process.stdout.write(`grants-server listening on ${server.url}\n`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second signal means "now": skip waiting for in-flight requests.
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`grants-server: ${signal} received, shutting down\n`);
      server.close().then(resolve, (error: unknown) => {
        process.stderr.write(`grants-server: shutdown failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

function integerFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function usageFailure(message: string): number {
  process.stderr.write(`grants-server: ${message}\nRun "grants-server --help" for usage.\n`);
  return 2;
}

function startFailure(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return `cannot listen on ${host}:${port}: the port is already in use`;
  if (code === "EACCES") return `cannot listen on ${host}:${port}: permission denied`;
  if (code === "EADDRNOTAVAIL") return `cannot listen on ${host}: no such local address`;
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `grants-server: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
