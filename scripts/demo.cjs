// The body of `npm run demo` (scripts/demo installs and builds first): start the embedded grant
// server, point the quickstart stack at it, `pulumi up`, verify a freshly minted token through
// the issuer's discovery document and JWKS, print a summary, and stop the server.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { pulumiEnvironment, projectRoot } = require("./pulumi-env.cjs");

const STACK = "demo";
const DATA_DIR = path.join(projectRoot, ".grants");
const PID_FILE = path.join(DATA_DIR, "demo-server.pid");
const URL_FILE = path.join(DATA_DIR, "demo-server.url");
const LOG_FILE = path.join(DATA_DIR, "demo-server.log");
const PORT = process.env.GRANTS_DEMO_PORT ?? "4000";
const READY_TIMEOUT_MS = 30_000;

const say = (line = "") => process.stdout.write(`${line}\n`);
/** A failure the user can act on: printed without a stack trace. Thrown, so `finally` stops the server. */
class DemoError extends Error {}
const fail = (message) => {
  throw new DemoError(message);
};

function pulumi(args, { input, quiet } = {}) {
  const result = spawnSync("pulumi", [...args, "--stack", STACK, "--non-interactive"], {
    cwd: projectRoot,
    env: { ...process.env, ...pulumiEnvironment() },
    input,
    stdio: [input === undefined ? "ignore" : "pipe", quiet ? "pipe" : "inherit", "inherit"],
    encoding: "utf8",
  });
  if (result.status !== 0) fail(`\`pulumi ${args[0]}\` failed (exit ${result.status})`);
  return result.stdout;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` is still our grant server: after a reboot the number may belong to anything. */
function isDemoServer(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("server/cli.js");
  } catch {
    return isAlive(pid) && process.platform !== "linux";
  }
}

/** A server left running by `--keep`, if there is one. */
function keptServer() {
  if (!fs.existsSync(PID_FILE) || !fs.existsSync(URL_FILE)) return undefined;
  const pid = Number(fs.readFileSync(PID_FILE, "utf8"));
  if (!isDemoServer(pid)) return undefined;
  return { pid, url: fs.readFileSync(URL_FILE, "utf8").trim() };
}

/**
 * Makes the admin token before the server's first start, with the server's own code: a server
 * that generates it prints it once on stderr, which the demo sends to a log file, and a token
 * must never sit in a log.
 */
function ensureAdminToken() {
  const { ADMIN_TOKEN_FILE } = require("../dist/server/index.js");
  const { readOrCreateSecretFile, ensureDataDir } = require("../dist/server/data-dir.js");
  const { newAdminToken } = require("../dist/server/secrets.js");
  ensureDataDir(DATA_DIR);
  return readOrCreateSecretFile(DATA_DIR, ADMIN_TOKEN_FILE, newAdminToken).value;
}

function startServer(detached) {
  const log = fs.openSync(LOG_FILE, "a", 0o600);
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, "dist/server/cli.js"), "--port", PORT, "--data-dir", DATA_DIR],
    { cwd: projectRoot, stdio: ["ignore", "pipe", log], detached },
  );
  return new Promise((resolve, reject) => {
    let stdout = "";
    // A server that never got ready is stopped, so the demo neither hangs on it nor leaves it.
    const timer = setTimeout(() => {
      child.stdout.destroy();
      child.kill("SIGKILL");
      reject(new Error("the grant server did not start within 30 s"));
    }, READY_TIMEOUT_MS);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = /grants-server listening on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout.removeAllListeners("data");
        child.stdout.destroy();
        resolve({ child, url: match[1] });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      child.stdout.destroy();
      const tail = fs.readFileSync(LOG_FILE, "utf8").trim().split("\n").slice(-3).join("\n");
      reject(new Error(`the grant server exited (code ${code}) before it was ready:\n${tail}`));
    });
  });
}

function stopServer(pid) {
  return new Promise((resolve) => {
    process.kill(pid, "SIGTERM");
    const started = Date.now();
    const poll = setInterval(() => {
      if (!isAlive(pid) || Date.now() - started > 10_000) {
        clearInterval(poll);
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
        resolve();
      }
    }, 100);
  });
}

/** Mints a token as a relying party would receive it, and verifies it the way it would. */
async function verifyToken({ apiUrl, adminToken, providerId, clientId }) {
  const { createGrantsClient } = require("../dist/sdk/index.js");
  const { createRemoteJWKSet, jwtVerify } = require("jose");
  const client = createGrantsClient({ apiUrl, apiToken: adminToken });
  try {
    const provider = await client.providers.get(providerId);
    const discovery = await client.discovery.get(provider.issuer);
    const token = await client.tokens.create(providerId, clientId, { expiresIn: 300 });
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(token.accessToken, jwks, {
      issuer: discovery.issuer,
      typ: "at+jwt",
    });
    return { payload, protectedHeader, jwksUri: discovery.jwks_uri };
  } finally {
    await client.close();
  }
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const kept = keptServer();

  if (args.has("--stop")) {
    if (!kept) return say("No demo server is running.");
    await stopServer(kept.pid);
    fs.rmSync(PID_FILE, { force: true });
    return say(`Stopped the grant server at ${kept.url}.`);
  }

  const keep = args.has("--keep");
  // The server takes GRANTS_ADMIN_TOKEN from the environment it inherits, when set.
  const adminToken = process.env.GRANTS_ADMIN_TOKEN || ensureAdminToken();
  let server;
  if (kept) {
    say(
      `Using the grant server left running at ${kept.url} (stop it with \`npm run demo -- --stop\`).`,
    );
    server = { pid: kept.pid, url: kept.url, reused: true };
  } else {
    const { child, url } = await startServer(keep).catch((error) =>
      fail(
        `${error.message}\n(is port ${PORT} in use? set GRANTS_DEMO_PORT=<port>; see docs/troubleshooting.md)`,
      ),
    );
    server = { pid: child.pid, url, child };
    fs.writeFileSync(PID_FILE, `${child.pid}\n`);
    fs.writeFileSync(URL_FILE, `${url}\n`);
    say(`Started the grant server at ${url} (data in .grants/, log in .grants/demo-server.log).`);
  }

  try {
    pulumi(["stack", "select", "--create"], { quiet: true });
    pulumi(["config", "set", "grants:apiUrl", server.url], { quiet: true });
    pulumi(["config", "set", "--secret", "grants:apiToken"], { input: adminToken, quiet: true });

    say("\nRunning `pulumi up` on the quickstart (index.ts):\n");
    pulumi(["up", "--yes", "--skip-preview"]);
    const outputs = JSON.parse(pulumi(["stack", "output", "--json"], { quiet: true }));

    const verified = await verifyToken({
      apiUrl: server.url,
      adminToken,
      providerId: outputs.providerId,
      clientId: outputs.clients.awsWorkload,
    });

    say("\nSummary");
    say(`  issuer         ${outputs.issuerUrl}`);
    say(`  clients        ci-deployer ${outputs.clients.deployer}`);
    say(`                 aws-workload ${outputs.clients.awsWorkload}`);
    say(`  client grants  orders ${outputs.grantIds.orders}, billing ${outputs.grantIds.billing}`);
    say(
      `  token          verified with the issuer's JWKS (${verified.jwksUri}), kid ${verified.protectedHeader.kid}`,
    );
    say(`                 iss ${verified.payload.iss}`);
    say(`                 sub ${verified.payload.sub}  aud ${verified.payload.aud}`);
    say(`                 expires ${new Date(verified.payload.exp * 1000).toISOString()}`);
    say(`  client credentials token scope: ${outputs.ordersTokenClaims.scope}`);
    say("\nNext:");
    if (keep) {
      say("  npm run pulumi -- preview --stack demo    # what would change");
      say("  npm run pulumi -- refresh --stack demo    # detect drift");
      say("  npm run pulumi -- destroy --stack demo    # remove everything");
      say("  npm run demo -- --stop                    # stop the grant server");
    } else {
      say(
        "  npm run demo -- --keep    # leave the server running, then run pulumi preview / refresh / destroy",
      );
      say("  npm run demo              # again: Pulumi reports no changes");
    }
  } finally {
    if (keep) {
      if (server.child) server.child.unref();
      say(`\nThe grant server is still running at ${server.url} (pid ${server.pid}).`);
    } else if (!server.reused) {
      await stopServer(server.pid);
      fs.rmSync(PID_FILE, { force: true });
    }
  }
}

main().catch((error) => {
  process.stderr.write(
    `demo: ${error instanceof DemoError ? error.message : (error.stack ?? String(error))}\n`,
  );
  process.exitCode = 1;
});
