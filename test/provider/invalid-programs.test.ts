import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createGrantsClient } from "../../sdk/index";
import type { GrantsClient } from "../../sdk/index";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createPulumiSandbox } from "../support/pulumi-engine";
import type { PulumiSandbox } from "../support/pulumi-engine";
import { GRANTS_ENV_VARS } from "../support/provider-config";
import { loadGrantsPackage } from "../support/provider-package";
import { createGrantsStack } from "../support/provider-stack";
import type { RecordedStack } from "../support/provider-stack";

const grants = loadGrantsPackage();

/** A program with one invalid part, what the failure must mention, and config keys to drop. */
interface InvalidCase {
  readonly name: string;
  readonly program: () => void;
  readonly mentions: readonly string[];
  readonly withoutConfig?: readonly string[];
}

// Literal ids keep every input known at preview, so check validates all of it.
// Invalid on purpose, so typed loosely (as a JavaScript program would pass them).
const grantTo = (args: Record<string, unknown>) =>
  new grants.ClientGrant("grant", {
    clientId: "client-1",
    audience: "https://api.example.com",
    ...args,
  } as never);
const issuer = () => new grants.Provider("issuer", { name: "valid-issuer", description: "valid" });

const cases: InvalidCase[] = [
  {
    name: "a provider name under 3 characters",
    program: () => new grants.Provider("p", { name: "ab", description: "d" }),
    mentions: ["name", "Name must be at least 3 characters long"],
  },
  {
    name: "a provider name over 50 characters",
    program: () => new grants.Provider("p", { name: "n".repeat(51), description: "d" }),
    mentions: ["name", "Name must be less than 50 characters long"],
  },
  {
    name: "an empty provider description",
    program: () => new grants.Provider("p", { name: "abc", description: "" }),
    mentions: ["description", "Description is required"],
  },
  {
    name: "a client name under 3 characters",
    program: () => new grants.Client("c", { providerId: issuer().id, name: "x", audience: "aud" }),
    mentions: ["name", "Name must be at least 3 characters long"],
  },
  {
    name: "a client audience under 3 characters",
    program: () => new grants.Client("c", { providerId: "p-1", name: "client", audience: "ab" }),
    mentions: ["audience", "Audience must be at least 3 characters long"],
  },
  {
    name: "an empty client providerId",
    program: () => new grants.Client("c", { providerId: "", name: "client", audience: "aud" }),
    mentions: ["providerId", "providerId must not be empty"],
  },
  {
    name: "an empty grant audience",
    program: () => grantTo({ audience: "" }),
    mentions: ["audience", "audience must not be empty"],
  },
  {
    name: "an empty grant clientId",
    program: () => grantTo({ clientId: "" }),
    mentions: ["clientId", "clientId must not be empty"],
  },
  {
    name: "a 281-character scope",
    program: () => grantTo({ scopes: ["read", "write", "s".repeat(281)] }),
    mentions: ["scopes[2]", "a scope must be at most 280 characters"],
  },
  {
    name: "an empty scope",
    program: () => grantTo({ scopes: [""] }),
    mentions: ["scopes[0]", "a scope must not be empty"],
  },
  {
    name: "both scopes and allowAllScopes",
    program: () => grantTo({ scopes: ["read"], allowAllScopes: true }),
    mentions: ["scopes", "`scopes` must be empty (or left out) when `allowAllScopes` is true"],
  },
  {
    name: "an unknown organizationUsage",
    program: () => grantTo({ organizationUsage: "sometimes" }),
    mentions: ["organizationUsage", '"deny"'],
  },
  {
    name: "an unknown subjectType",
    program: () => grantTo({ subjectType: "robot" }),
    mentions: ["subjectType", '"client"'],
  },
  {
    name: "a non-boolean allowAnyOrganization",
    program: () => grantTo({ allowAnyOrganization: "yes" }),
    mentions: ["allowAnyOrganization", "expected boolean"],
  },
  {
    name: "a 256-character authorization details type",
    program: () => grantTo({ authorizationDetailsTypes: ["t".repeat(256)] }),
    mentions: ["authorizationDetailsTypes[0]", "at most 255 characters"],
  },
  {
    name: "a misspelled input",
    program: () => grantTo({ scope: ["read"] }),
    mentions: ["scope", "`scope` is not an input of this resource"],
  },
  {
    name: "expiresInSeconds over 172800",
    program: () =>
      grants.getAccessToken({ providerId: "p-1", clientId: "c-1", expiresInSeconds: 172_801 }),
    mentions: ["expiresInSeconds", "cannot be more than 48 hours (172800 seconds)"],
  },
  {
    name: "expiresInSeconds of 0",
    program: () =>
      grants.getAccessToken({ providerId: "p-1", clientId: "c-1", expiresInSeconds: 0 }),
    mentions: ["expiresInSeconds", "at least 1 second"],
  },
  {
    name: "both issuer and tokenUrl",
    program: () =>
      grants.getClientCredentialsToken({
        issuer: "http://127.0.0.1:1/p/x",
        tokenUrl: "http://127.0.0.1:1/p/x/oauth/token",
        clientId: "c",
        clientSecret: "s",
        audience: "aud",
      }),
    mentions: ["issuer", "give exactly one of `issuer` and `tokenUrl`"],
  },
  {
    name: "a missing grants:apiToken",
    program: issuer,
    mentions: ["grants:apiToken is not set", "pulumi config set --secret grants:apiToken"],
    withoutConfig: ["grants:apiToken"],
  },
  {
    name: "a missing grants:apiUrl, for a client grant",
    program: () => grantTo({}),
    mentions: ["grants:managementApiUrl is not set (or grants:apiUrl"],
    withoutConfig: ["grants:apiUrl"],
  },
  {
    name: "a missing grants:apiUrl, for getAccessToken",
    program: () => grants.getAccessToken({ providerId: "p-1", clientId: "c-1" }),
    mentions: ["getAccessToken: grants:apiUrl is not set", "pulumi config set grants:apiUrl"],
    withoutConfig: ["grants:apiUrl"],
  },
];

let server: TestServer;
let sdk: GrantsClient;
let sandbox: PulumiSandbox;
let recorded: RecordedStack;
let current: InvalidCase = cases[0]!;

beforeAll(async () => {
  // Settings must come from stack config only: the CLI and its plugins inherit this environment.
  for (const name of GRANTS_ENV_VARS) vi.stubEnv(name, undefined);
  server = await startTestServer();
  sdk = createGrantsClient({ apiUrl: server.url, apiToken: server.adminToken });
  sandbox = createPulumiSandbox();
  recorded = await createGrantsStack(sandbox, {
    projectName: "grants-invalid",
    program: async () => {
      current.program();
    },
    target: server,
  });
});

afterAll(async () => {
  await recorded?.stack.workspace.removeStack(recorded.stack.name).catch(() => undefined);
  sandbox?.cleanup();
  await sdk?.close();
  await server?.close();
  vi.unstubAllEnvs();
});

describe("invalid programs fail at preview, naming what is wrong, and create nothing", () => {
  it.each(cases)("$name", { timeout: 120_000 }, async (invalid) => {
    current = invalid;
    for (const key of invalid.withoutConfig ?? []) await recorded.stack.removeConfig(key);
    try {
      const failure = await recorded.stack.preview().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure, "preview should have failed").toBeInstanceOf(Error);
      for (const text of invalid.mentions) expect(failure!.message).toContain(text);
      expect(failure!.message).not.toContain(server.adminToken);
    } finally {
      if ((invalid.withoutConfig ?? []).length > 0) {
        await recorded.stack.setAllConfig({
          "grants:apiUrl": { value: server.url },
          "grants:apiToken": { value: server.adminToken, secret: true },
        });
      }
    }
  });

  it("left no provider, client or grant on the server", async () => {
    expect(await sdk.providers.list()).toEqual([]);
    const grantsLeft = [];
    for await (const grant of sdk.clientGrants.list()) grantsLeft.push(grant);
    expect(grantsLeft).toEqual([]);
  });
});
