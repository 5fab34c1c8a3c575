import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject } from "../support/pulumi-project";
import type { PulumiProject } from "../support/pulumi-project";

// A token function that fails must print one sentence, like a resource does: not Node's
// "unhandled exception" with an ANSI-coloured trace into the package's files. The program runs
// through the real CLI and its Node.js language host (test/fixtures/function-failures), where
// that trace would come from.

/** A loopback port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let server: TestServer;
let sdk: GrantsClient;
let project: PulumiProject;
let providerId: string;
let clientId: string;
let tokenUrl: string;
let refusedUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  const provider = await sdk.providers.create({ name: "fn-failures", description: "functions" });
  const client = await sdk.clients.create(provider.id, { name: "fn-app", audience: "fn-api" });
  providerId = provider.id;
  clientId = client.id;
  tokenUrl = `${provider.issuer}/oauth/token`;
  refusedUrl = `http://127.0.0.1:${await closedPort()}`;
  project = copyPulumiProject(path.join(projectRoot, "test/fixtures/function-failures"));
  await project.ok(["stack", "init", "functions"]);
  await project.ok(["config", "set", "grants:apiUrl", server.url]);
});

afterAll(async () => {
  project?.cleanup();
  await sdk?.close();
  await server?.close();
});

/** Sets the stack config of one case and runs `pulumi preview`, which must fail. */
async function previewFailure(config: Record<string, string>, secrets: Record<string, string>) {
  for (const [key, value] of Object.entries(config)) {
    await project.ok(["config", "set", "--plaintext", key, value]);
  }
  for (const [key, value] of Object.entries(secrets)) {
    await project.ok(["config", "set", "--secret", key], { input: value });
  }
  const run = await project.run(["preview"]);
  expect(run.code, `${run.stdout}\n${run.stderr}`).not.toBe(0);
  return `${run.stdout}\n${run.stderr}`;
}

/**
 * The failure is one sentence on one line. The CLI shows it where it happened and again under
 * "Diagnostics", as it does for every error; both are the same line.
 */
function expectOneSentence(printed: string, sentence: RegExp): void {
  const errors = printed
    .split("\n")
    .filter((line) => sentence.test(line))
    .map((line) => line.slice(line.indexOf("error: ")));
  expect(errors.length, printed).toBeGreaterThan(0);
  expect(new Set(errors).size, printed).toBe(1);
  expect(printed.match(/error: /g)?.length, printed).toBe(errors.length);
  expect(printed).not.toContain("unhandled exception");
  expect(printed).not.toContain("\u001b[");
  expect(printed).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  expect(printed).not.toMatch(/\.ts:\d+/);
  expect(printed).not.toContain("GrantsError");
}

describe("a failing token function prints one line through the real engine", () => {
  it(
    "getAccessToken with a token the server rejects names grants:apiToken",
    { timeout: 180_000 },
    async () => {
      const printed = await previewFailure(
        { case: "getAccessToken", providerId, clientId },
        { "grants:apiToken": "wrong-token-0123456789" },
      );
      expectOneSentence(
        printed,
        /getAccessToken call failed: .* answered 401 Unauthorized.*Check grants:apiToken\./,
      );
      expect(printed).not.toContain("wrong-token-0123456789");
    },
  );

  it(
    "getAccessToken for a client that does not exist names the status",
    { timeout: 180_000 },
    async () => {
      const printed = await previewFailure(
        { case: "getAccessToken", providerId, clientId: "00000000-0000-4000-8000-000000000000" },
        { "grants:apiToken": server.adminToken },
      );
      expectOneSentence(printed, /getAccessToken call failed: POST .* answered 404 Not Found/);
      expect(printed).not.toContain(server.adminToken);
    },
  );

  it(
    "getClientCredentialsToken with a wrong secret says the credentials are not accepted",
    { timeout: 180_000 },
    async () => {
      const printed = await previewFailure(
        { case: "getClientCredentialsToken", tokenUrl, clientId },
        { clientSecret: "not-the-secret-0123456789" },
      );
      expectOneSentence(
        printed,
        /getClientCredentialsToken call failed: .* answered 401 Unauthorized.*the client credentials are not accepted/,
      );
      expect(printed).not.toContain("not-the-secret-0123456789");
    },
  );

  it(
    "getClientCredentialsToken at a refused address asks whether the server runs",
    { timeout: 180_000 },
    async () => {
      const printed = await previewFailure(
        { case: "getClientCredentialsToken", tokenUrl: `${refusedUrl}/oauth/token`, clientId },
        {},
      );
      expectOneSentence(
        printed,
        new RegExp(
          `getClientCredentialsToken call failed: the connection to ${refusedUrl} was refused\\. Is the grant server running there\\? Check the \`issuer\` or \`tokenUrl\` argument\\.`,
        ),
      );
    },
  );
});
