import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer } from "../../server/index";
import type { StartServerOptions } from "../../server/index";

/** Options of {@link startTestServer}: any server option; `dataDir` reuses a directory. */
export type TestServerOptions = Partial<StartServerOptions>;

/** A grant server running for one test file. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  adminToken: string;
  dataDir: string;
  /** Everything the server logged so far (JSON lines). */
  logs(): string;
  /** Stops the server; removes the data dir unless the caller passed its own. */
  close(): Promise<void>;
}

/**
 * Starts a real grant server on 127.0.0.1, port 0, with a fresh temporary data dir (unless
 * `options.dataDir` is given, e.g. to restart on the same data) and its logs captured in memory.
 *
 * @example
 * ```ts
 * const server = await startTestServer();
 * afterAll(() => server.close());
 * await fetch(`${server.url}/v1/providers`, { headers: { authorization: `Bearer ${server.adminToken}` } });
 * ```
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "grants-test-")));
  const chunks: string[] = [];
  try {
    const server = await startServer({
      host: "127.0.0.1",
      port: 0,
      // Tests issue many requests quickly; a test about rate limits sets its own limit.
      rateLimitPerMinute: 0,
      logLevel: "debug",
      logStream: { write: (line: string) => chunks.push(line) },
      // No test may reach real DNS; domain tests inject their own resolver.
      resolveTxt: async () => [],
      ...options,
      dataDir,
    });
    return {
      url: server.url,
      adminToken: server.adminToken,
      dataDir,
      logs: () => chunks.join(""),
      async close() {
        await server.close();
        if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
