import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientGrantSchema } from "../../sdk/schemas/client-grant";
import { jwksSchema, tokenResponseSchema } from "../../sdk/schemas/oauth";
import { providerSchema } from "../../sdk/schemas/provider";
import { startTestServer } from "../support/grant-server";
import { spawnCli, waitForReady } from "./_cli";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("data survives restarts", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "grants-restart-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps providers, clients, grants, keys and secrets across a graceful restart", async () => {
    const publicUrl = "http://grants.internal.test";
    const first = await startTestServer({ dataDir, publicUrl });
    const provider = await createProvider(first);
    const client = await createClient(first, provider.id);
    const grant = clientGrantSchema.parse(
      expectStatus(
        await call(first, "POST", "/api/v2/client-grants", {
          body: { client_id: client.id, audience: "https://api.example.test", scope: ["read"] },
        }),
        201,
      ).body,
    );
    const minted = (
      expectStatus(
        await call(first, "POST", `/v1/providers/${provider.id}/clients/${client.id}/tokens`),
        201,
      ).body as { accessToken: string }
    ).accessToken;
    const jwksBefore = await (await fetch(`${first.url}/p/${provider.id}/.well-known/jwks`)).json();
    await first.close();

    const second = await startTestServer({ dataDir, publicUrl });
    try {
      expect(second.adminToken).toBe(first.adminToken);
      expect(
        providerSchema.parse((await call(second, "GET", `/v1/providers/${provider.id}`)).body),
      ).toEqual(provider);
      expectStatus(
        await call(second, "GET", `/v1/providers/${provider.id}/clients/${client.id}`),
        200,
      );
      expect((await call(second, "GET", `/api/v2/client-grants/${grant.id}`)).body).toEqual(grant);

      // Same keys: a token minted before the restart verifies against the JWKS after it.
      const jwks = jwksSchema.parse(
        await (await fetch(`${second.url}/p/${provider.id}/.well-known/jwks`)).json(),
      );
      expect(jwks).toEqual(jwksBefore);
      await jwtVerify(minted, createLocalJWKSet(jwks), {
        issuer: `${publicUrl}/p/${provider.id}`,
        audience: client.audience,
      });
      // The stored secret hash still authenticates the client.
      const token = await fetch(`${second.url}/p/${provider.id}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: client.id,
          client_secret: client.clientSecret,
          audience: "https://api.example.test",
        }),
      });
      expect(token.status).toBe(200);
      expect(tokenResponseSchema.parse(await token.json()).scope).toBe("read");
    } finally {
      await second.close();
    }
  });
});

describe("grants-server CLI", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "grants-cli-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps every write answered 2xx when the process is killed with SIGKILL", async () => {
    const env = { GRANTS_ADMIN_TOKEN: undefined, GRANTS_MASTER_KEY: undefined };
    const first = spawnCli(["--port", "0", "--data-dir", dataDir], env);
    const url = await waitForReady(first);
    // First start: the admin token is generated and stored 0600; stderr names the file only.
    const adminToken = (await readFile(path.join(dataDir, "admin-token"), "utf8")).trim();
    expect(adminToken).toMatch(/^uga_[A-Za-z0-9_-]{43}$/);
    expect((await stat(path.join(dataDir, "admin-token"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, "master.key"))).mode & 0o777).toBe(0o600);
    expect(first.stderr()).not.toContain(adminToken);
    expect(first.stderr()).toContain(path.join(dataDir, "admin-token"));
    expect(first.stdout()).toBe(`grants-server listening on ${url}\n`);

    const server = { url, adminToken };
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    const grant = clientGrantSchema.parse(
      expectStatus(
        await call(server, "POST", "/api/v2/client-grants", {
          body: { client_id: client.id, audience: "https://api.example.test" },
        }),
        201,
      ).body,
    );
    const patched = expectStatus(
      await call(server, "PATCH", `/api/v2/client-grants/${grant.id}`, { body: { scope: ["x"] } }),
      200,
    );
    // The last write was answered: kill at once, no chance to flush or close anything.
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");

    const second = spawnCli(["--port", "0", "--data-dir", dataDir], env);
    const secondUrl = await waitForReady(second);
    try {
      const restarted = { url: secondUrl, adminToken };
      expectStatus(await call(restarted, "GET", `/v1/providers/${provider.id}`), 200);
      expectStatus(
        await call(restarted, "GET", `/v1/providers/${provider.id}/clients/${client.id}`),
        200,
      );
      expect((await call(restarted, "GET", `/api/v2/client-grants/${grant.id}`)).body).toEqual(
        patched.body,
      );
      // Not generated again, so not shown again.
      expect(second.stderr()).not.toContain(adminToken);
    } finally {
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    }
    expect(second.stderr()).toMatch(/SIGTERM received, shutting down/);
  });

  it("writes JSON log lines to stderr and uses GRANTS_ADMIN_TOKEN when set", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "grants-cli-env-"));
    const adminToken = "uga_from_the_environment_0123456789";
    const cli = spawnCli(["--port", "0", "--data-dir", dir], { GRANTS_ADMIN_TOKEN: adminToken });
    try {
      const url = await waitForReady(cli);
      expectStatus(await call({ url, adminToken }, "GET", "/v1/providers"), 200);
      expect(
        (await call({ url, adminToken: "uga_other_token_0000000000" }, "GET", "/v1/providers"))
          .status,
      ).toBe(401);
    } finally {
      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
    const lines = cli.stderr().trim().split("\n");
    const json = lines.filter((line) => line.startsWith("{"));
    expect(json.length).toBeGreaterThan(2);
    for (const line of json) expect(() => JSON.parse(line)).not.toThrow();
    expect(cli.stderr()).not.toContain(adminToken);
  });

  it("fails clearly with exit 1 when the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cli = spawnCli(["--port", String(port), "--data-dir", dataDir]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toContain(
        `cannot listen on 127.0.0.1:${port}: the port is already in use`,
      );
      expect(cli.stdout()).toBe("");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("rejects bad flags with exit 2 and a usage hint; --help prints usage", async () => {
    for (const args of [
      ["--port", "http"],
      ["--port", "70000"],
      ["--unknown"],
      ["--rate-limit=-1"],
      ["--log-level", "loud"],
    ]) {
      const cli = spawnCli([...args, "--data-dir", dataDir]);
      expect(await cli.exited, args.join(" ")).toBe(2);
      expect(cli.stderr()).toMatch(
        /^grants-server: [\s\S]+\nRun "grants-server --help" for usage\.\n$/,
      );
    }
    const help = spawnCli(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: grants-server \[options\]/);
    expect(help.stdout()).toContain("--data-dir");
  });
});
