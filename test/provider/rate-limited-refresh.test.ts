import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { loadGrantsPackage } from "../support/provider-package";
import { createGrantsStack } from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";

const grants = loadGrantsPackage();
const GRANTS = 200;

function program() {
  const issuer = new grants.Provider("issuer", { name: "rate-limited", description: "refresh" });
  const app = new grants.Client("app", {
    providerId: issuer.id,
    name: "rate-limited-app",
    audience: "https://rate.example.com",
  });
  for (let index = 0; index < GRANTS; index++) {
    new grants.ClientGrant(`grant-${index}`, {
      clientId: app.id,
      audience: `https://api-${index}.example.com`,
      scopes: ["read"],
    });
  }
  return Promise.resolve({});
}

let server: TestServer;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;

// 150 management requests a minute: the up of 200 grants sends more than that, so it must slow
// down (the request budget reads X-RateLimit-Remaining) or meet 429 with a Retry-After of up to
// a minute, which the default retry budget (grants:maxRetryWaitSeconds, 120 s) waits out. The
// refreshes read the grants through one listing, a few requests each.
beforeAll(async () => {
  server = await startTestServer({ rateLimitPerMinute: 150 });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-rate-limited",
    program: () => program(),
    target: server,
  });
});

afterAll(async () => {
  await recorded?.stack.destroy().catch(() => undefined);
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await server?.close();
});

describe("a 200-grant stack under the server's default rate limit", () => {
  it(
    "survives an up and three refreshes in a row, waiting as long as the server asks",
    { timeout: 900_000 },
    async () => {
      const up = await recorded.stack.up(recorded.record());
      expect(up.summary.resourceChanges).toMatchObject({ create: GRANTS + 3 });
      for (let run = 1; run <= 3; run++) {
        const refresh = await recorded.stack.refresh(recorded.record());
        expect(refresh.summary.result, `refresh ${run}`).toBe("succeeded");
      }
      // Whether the limit is met depends on how fast the machine sends (run alone, it is: the
      // server logs 429s); either way no 429 reaches the user.
      expect(recorded.output()).not.toContain("429");
    },
  );
});
