import "./require-node-version";
import { TenantKeys } from "./tenant/tenant-keys";
import { resolveTxt as dnsResolveTxt } from "node:dns/promises";
import path from "node:path";
import { buildApp } from "./app";
import type { AppLogging } from "./app";
import type { ServerContext } from "./context";
import type { ResolveTxt } from "./resolve-txt";
import type { ServerLogger } from "./server-logger";
import { ensureDataDir, ensurePrivateFile, readOrCreateSecretFile } from "./data-dir";
import { AuthenticationFailures } from "./grants/authentication-failures";
import { KeyRing } from "./keys/key-ring";
import { loadMasterKey, parseMasterKey } from "./keys/master-key";
import { RateLimiter } from "./rate-limit";
import { newAdminToken } from "./secrets";
import { PostgresStore } from "./store/postgres/postgres-store";
import { SqliteStore } from "./store/sqlite-store";
import type { Store } from "./store/store";

export type { ResolveTxt } from "./resolve-txt";
export type { LogMethod, ServerLogger } from "./server-logger";

/** File names inside the data directory. */
export const DATABASE_FILE = "grants.db";
export const ADMIN_TOKEN_FILE = "admin-token";

/** Options of {@link startServer}. `dataDir` is required unless `databaseUrl` is given. */
export interface StartServerOptions {
  /**
   * Interface to listen on. Anything but loopback exposes the management API to the network;
   * put TLS in front of it then.
   * @default "127.0.0.1"
   */
  host?: string;
  /** TCP port; `0` picks a free port (read it from the returned `url`). @default 4000 */
  port?: number;
  /**
   * Directory holding the SQLite database (`grants.db`) and generated secrets (`admin-token`,
   * `master.key`); created with mode 0700 when missing.
   */
  dataDir?: string;
  /**
   * A PostgreSQL URL (`postgres://user:password@host:port/database`): keep everything in that
   * database instead of SQLite, so several instances can serve one set of providers. Then
   * `publicUrl`, `adminToken` and `masterKey` are required (every instance must agree on them)
   * and no data directory is used. The CLI reads `--database-url` or `GRANTS_DATABASE_URL`.
   */
  databaseUrl?: string;
  /**
   * How long an instance trusts its in-memory copy of a provider's signing keys before reading
   * them again from the store, and how long a new key is published before it signs. With
   * PostgreSQL, after a rotation through any instance, every instance publishes the new key
   * within this time, and none signs with it before all of them publish it.
   * @default 10 with `databaseUrl`, 0 with SQLite (one instance; its own rotations apply at once)
   */
  keyCacheSeconds?: number;
  /**
   * The management bearer token. When absent it is read from `<dataDir>/admin-token`, which is
   * generated (`uga_` + base64url of 32 random bytes, mode 0600) on first start.
   */
  adminToken?: string;
  /**
   * The key sealing signing keys at rest: 32 bytes as base64, base64url or hex (the CLI reads
   * `GRANTS_MASTER_KEY`). When absent, `<dataDir>/master.key` is used, generated on first start.
   */
  masterKey?: string;
  /**
   * The base URL clients reach the server at, when it differs from `http://HOST:PORT` (a proxy,
   * a container port mapping). Default issuers are `<publicUrl>/p/<providerId>`.
   */
  publicUrl?: string;
  /**
   * Management requests allowed per minute per token (per client address for requests without
   * a valid token); `0` turns rate limiting off.
   * @default 1000
   */
  rateLimitPerMinute?: number;
  /**
   * Lifetime of the Management API tokens `POST /oauth/token` issues at the server root.
   * @default 86400 (Auth0's default)
   */
  managementTokenLifetimeSeconds?: number;
  /** Largest request body accepted; bigger ones get 413. @default 65536 */
  bodyLimitBytes?: number;
  /** Where JSON log lines are written. @default process.stderr */
  logStream?: { write(line: string): unknown };
  /** Minimum log level (`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`). @default "info" */
  logLevel?: string;
  /** A ready Fastify-compatible (pino) logger; replaces `logStream` and `logLevel`. */
  logger?: ServerLogger;
  /** DNS TXT lookup for custom-domain verification. @default `resolveTxt` of `node:dns/promises` */
  resolveTxt?: ResolveTxt;
  /** The clock, epoch milliseconds; tests inject one to travel in time. @default Date.now */
  now?: () => number;
}

/** A listening server. */
export interface RunningServer {
  /** `http://HOST:PORT` as bound (the actual port when `port` was 0). */
  url: string;
  /** The management bearer token in force. */
  adminToken: string;
  /** True when this start generated the admin token (so it can be shown once). */
  adminTokenGenerated: boolean;
  /** Stops accepting requests, finishes in-flight ones, and closes the database. */
  close(): Promise<void>;
}

const DEFAULT_RATE_LIMIT_PER_MINUTE = 1000;
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Starts the grant server: opens (or creates) the store in `dataDir`, then listens.
 *
 * @example
 * ```ts
 * const server = await startServer({ dataDir: ".grants", port: 0 });
 * console.log(server.url, server.adminToken);
 * await server.close();
 * ```
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 4000;
  const now = options.now ?? Date.now;
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const managementTokenLifetimeSeconds = options.managementTokenLifetimeSeconds ?? 86_400;
  if (!Number.isInteger(managementTokenLifetimeSeconds) || managementTokenLifetimeSeconds < 1) {
    throw new RangeError("managementTokenLifetimeSeconds must be a whole number ≥ 1");
  }
  const rateLimitPerMinute = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 0) {
    throw new RangeError("rateLimitPerMinute must be a whole number ≥ 0");
  }
  if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1) {
    throw new RangeError("bodyLimitBytes must be a whole number ≥ 1");
  }

  const opened = await openStore(options);
  const { store, masterKey, admin } = opened;
  const keyCacheSeconds = options.keyCacheSeconds ?? (options.databaseUrl ? 10 : 0);
  if (!Number.isInteger(keyCacheSeconds) || keyCacheSeconds < 0) {
    await store.close();
    throw new RangeError("keyCacheSeconds must be a whole number ≥ 0");
  }
  const keys = new KeyRing(store, masterKey, now, keyCacheSeconds * 1000);
  try {
    await keys.assertMasterKeyOpensKeys();
  } catch (error) {
    await store.close();
    throw error;
  }
  let publicUrl = options.publicUrl?.replace(/\/+$/, "");
  const context: ServerContext = {
    store,
    keys,
    masterKey,
    now,
    adminToken: admin.value,
    publicUrl: () => publicUrl ?? "",
    resolveTxt: options.resolveTxt ?? dnsResolveTxt,
    rateLimiter: rateLimitPerMinute > 0 ? new RateLimiter(rateLimitPerMinute, now) : undefined,
    bodyLimitBytes,
    authenticationFailures: new AuthenticationFailures(now),
    tenantKeys: new TenantKeys(store, keys, masterKey, now),
    managementTokenLifetimeSeconds,
  };
  const logging: AppLogging = options.logger
    ? { logger: options.logger }
    : { stream: options.logStream ?? process.stderr, level: options.logLevel ?? "info" };
  const app = buildApp(context, logging);

  try {
    await app.listen({ host, port, listenTextResolver: (address) => `listening on ${address}` });
  } catch (error) {
    await app.close().catch(() => undefined);
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
  publicUrl ??= url;
  app.log.info(
    { url, publicUrl, store: options.databaseUrl ? "postgres" : opened.dataDir },
    "grants-server ready",
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    adminToken: admin.value,
    adminTokenGenerated: admin.created,
    close() {
      closing ??= (async () => {
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/**
 * The store and the secrets every instance must share. SQLite keeps them in the data directory
 * (generated on first start); PostgreSQL instances cannot share a directory, so the secrets
 * must be given, alike, to each of them, and a public URL too (each instance's own address
 * would otherwise become a different `iss`).
 */
async function openStore(options: StartServerOptions): Promise<{
  store: Store;
  masterKey: Buffer;
  admin: { value: string; created: boolean };
  dataDir?: string;
}> {
  if (options.databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new RangeError("databaseUrl must be a postgres:// or postgresql:// URL");
    }
    const missing = [
      options.publicUrl === undefined ? "publicUrl (--public-url)" : undefined,
      options.adminToken === undefined ? "adminToken (GRANTS_ADMIN_TOKEN)" : undefined,
      options.masterKey === undefined ? "masterKey (GRANTS_MASTER_KEY)" : undefined,
    ].filter((name) => name !== undefined);
    if (missing.length > 0) {
      throw new RangeError(
        `with a PostgreSQL database every instance must be given the same ${missing.join(", ")}: ` +
          "instances that generated their own would disagree",
      );
    }
    const admin = { value: options.adminToken!, created: false };
    assertAdminToken(admin.value);
    const masterKey = parseMasterKey(options.masterKey!);
    const store = await PostgresStore.open(options.databaseUrl);
    return { store, masterKey, admin };
  }
  if (options.dataDir === undefined) throw new RangeError("dataDir (or databaseUrl) is required");
  const dataDir = path.resolve(options.dataDir);
  ensureDataDir(dataDir);
  const admin =
    options.adminToken !== undefined
      ? { value: options.adminToken, created: false }
      : readOrCreateSecretFile(dataDir, ADMIN_TOKEN_FILE, newAdminToken);
  assertAdminToken(admin.value);
  const masterKey = loadMasterKey(dataDir, options.masterKey);
  const databaseFile = path.join(dataDir, DATABASE_FILE);
  ensurePrivateFile(databaseFile);
  return { store: new SqliteStore(databaseFile), masterKey, admin, dataDir };
}

function assertAdminToken(token: string): void {
  if (token.length < 16) throw new RangeError("the admin token must be at least 16 characters");
}
