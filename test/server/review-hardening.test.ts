import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../server/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("client grant scopes are RFC 6749 §3.3 scope tokens", () => {
  let server: TestServer;
  let clientId: string;
  beforeAll(async () => {
    server = await startTestServer();
    const provider = await createProvider(server);
    clientId = (await createClient(server, provider.id)).id;
  });
  afterAll(() => server.close());

  it("rejects a scope with a space, which a token would carry as two scopes", async () => {
    const result = await call(server, "POST", "/api/v2/client-grants", {
      body: { client_id: clientId, audience: "https://api.example.test", scope: ["read admin"] },
    });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).toContain("scope[0]");
  });

  it("rejects the same scope in a PATCH", async () => {
    const created = expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: clientId, audience: "https://patch.example.test", scope: ["read"] },
      }),
      201,
    );
    const id = (created.body as { id: string }).id;
    const result = await call(server, "PATCH", `/api/v2/client-grants/${id}`, {
      body: { scope: ["read", "write all"] },
    });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).toContain("scope[1]");
  });
});

describe("the token endpoint's edges", () => {
  let server: TestServer;
  let issuer: string;
  let client: { id: string; clientSecret: string };
  beforeAll(async () => {
    server = await startTestServer({ bodyLimitBytes: 1024 });
    const provider = await createProvider(server);
    issuer = provider.issuer!;
    client = await createClient(server, provider.id);
    expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: {
          client_id: client.id,
          audience: "https://all.example.test",
          allow_all_scopes: true,
        },
      }),
      201,
    );
  });
  afterAll(() => server.close());

  const token = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body,
    });

  /** client_secret_post credentials for the allow_all_scopes grant's audience. */
  const postCredentials = () =>
    new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: client.clientSecret,
      audience: "https://all.example.test",
    }).toString();

  it("leaves the scope claim out for an allow_all_scopes grant asked for no scope", async () => {
    const response = await token(postCredentials());
    expect(response.status).toBe(200);
    const { access_token } = (await response.json()) as { access_token: string };
    expect(decodeJwt(access_token)).not.toHaveProperty("scope");
  });

  it("marks errors raised before the handler no-store too (an oversized body)", async () => {
    const response = await token(`grant_type=client_credentials&pad=${"x".repeat(2048)}`);
    expect(response.status).toBe(413);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a malformed Basic header with invalid_client and a challenge, not the body's credentials", async () => {
    const response = await token(postCredentials(), { authorization: "Basic %%%not-base64%%%" });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
  });
});

describe("a logger passed to startServer", () => {
  it("gets request lines without query strings, like the built-in logger", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-logger-"));
    const server = await startServer({ host: "127.0.0.1", port: 0, dataDir, logger });
    try {
      await fetch(`${server.url}/healthz?client_secret=should-not-be-logged`);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(lines.join("")).toContain("/healthz");
    expect(lines.join("")).not.toContain("should-not-be-logged");
  });
});

describe("the data directory", () => {
  it("is owner-only, and so is the database, even when the directory existed with looser permissions", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-perms-"));
    const { chmod } = await import("node:fs/promises");
    await chmod(dataDir, 0o755);
    const server = await startServer({ host: "127.0.0.1", port: 0, dataDir, logLevel: "silent" });
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      for (const file of ["grants.db", "grants.db-wal"]) {
        expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
      }
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("generated secrets", () => {
  it("writes generated secrets whole and owner-only, leaving no temporary file", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-secrets-"));
    const server = await startServer({ host: "127.0.0.1", port: 0, dataDir, logLevel: "silent" });
    await server.close();
    try {
      const { readdir, readFile } = await import("node:fs/promises");
      const files = await readdir(dataDir);
      expect(files.filter((file) => file.endsWith(".tmp"))).toEqual([]);
      for (const file of ["admin-token", "master.key"]) {
        expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
      }
      expect((await readFile(path.join(dataDir, "admin-token"), "utf8")).trim()).toBe(
        server.adminToken,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
