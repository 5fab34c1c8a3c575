import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearConfiguredSettings, storeConfiguredSettings } from "../../provider/config";
import { checkClient } from "../../provider/resources/client/check";
import { checkClientGrant } from "../../provider/resources/client-grant/check";
import { checkProvider } from "../../provider/resources/provider/check";
import { UNKNOWN } from "../../provider/shared/unknown";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

const PROVIDER_TEXT = "exports.handler = () => ({})";

function configured(values: Record<string, string>) {
  storeConfiguredSettings(configureRequest(values).config);
}

beforeEach(() => {
  clearGrantsEnvironment();
  configured({ "grants:apiUrl": "http://127.0.0.1:4000", "grants:apiToken": "t0ken" });
});

afterEach(() => {
  clearConfiguredSettings();
  vi.unstubAllEnvs();
});

describe("ClientGrant check", () => {
  it("fills the API defaults for every absent optional input", async () => {
    const result = await checkClientGrant({}, { clientId: "c1", audience: "https://api" });
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual({
      clientId: "c1",
      audience: "https://api",
      scopes: [],
      allowAllScopes: false,
      organizationUsage: "deny",
      allowAnyOrganization: false,
      subjectType: "client",
      authorizationDetailsTypes: [],
    });
  });

  it("deduplicates scopes in the declared order, and drops __provider from what it validates", async () => {
    const result = await checkClientGrant(
      {},
      { clientId: "c1", audience: "a", scopes: ["b", "a", "b"], __provider: PROVIDER_TEXT },
    );
    expect(result.failures).toEqual([]);
    expect(result.inputs?.scopes).toEqual(["b", "a"]);
    expect(result.inputs).not.toHaveProperty("__provider");
  });

  it.each([
    ["scopes[1]", { scopes: ["ok", "", "x"] }],
    ["scopes[2]", { scopes: ["ok", "ok2", "x".repeat(281)] }],
    ["audience", { audience: "" }],
    ["clientId", { clientId: "" }],
    ["organizationUsage", { organizationUsage: "sometimes" }],
    ["subjectType", { subjectType: "robot" }],
    ["allowAnyOrganization", { allowAnyOrganization: "yes" }],
    ["authorizationDetailsTypes[0]", { authorizationDetailsTypes: ["x".repeat(256)] }],
    ["scopes", { scopes: ["read"], allowAllScopes: true }],
    ["scope", { scope: ["typo"] }],
  ])("names %s when that input is invalid", async (property, change) => {
    const result = await checkClientGrant({}, { clientId: "c1", audience: "a", ...change });
    expect(result.failures?.map((failure) => failure.property)).toEqual([property]);
    expect(result.failures?.[0]?.reason).not.toBe("");
  });

  it("passes unknown inputs through during preview and validates the rest", async () => {
    const result = await checkClientGrant(
      {},
      { clientId: UNKNOWN, audience: "a", allowAllScopes: UNKNOWN, scopes: ["z", UNKNOWN] },
    );
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({
      clientId: UNKNOWN,
      allowAllScopes: UNKNOWN,
      scopes: ["z", UNKNOWN],
      organizationUsage: "deny",
    });
    const bad = await checkClientGrant({}, { clientId: UNKNOWN, audience: "" });
    expect(bad.failures?.map((failure) => failure.property)).toEqual(["audience"]);
  });

  it("defaults the management API to the useGrant settings and fails without either", async () => {
    expect((await checkClientGrant({}, { clientId: "c", audience: "a" })).failures).toEqual([]);
    clearConfiguredSettings();
    const result = await checkClientGrant({}, { clientId: "c", audience: "a" });
    const reasons = result.failures?.map((failure) => failure.reason).join("\n");
    expect(reasons).toContain("grants:managementApiUrl is not set (or grants:apiUrl");
    expect(reasons).toContain("pulumi config set --secret grants:managementApiToken");
  });
});

describe("ClientGrant settings across services", () => {
  it("does not send the useGrant API token to a management API on another origin", async () => {
    clearConfiguredSettings();
    configured({
      "grants:apiUrl": "https://sdk.usegrant.dev",
      "grants:apiToken": "uga_token",
      "grants:managementApiUrl": "https://tenant.auth0.com/api/v2",
    });
    const result = await checkClientGrant({}, { clientId: "c", audience: "a" });
    const reasons = result.failures?.map((failure) => failure.reason).join("\n");
    expect(reasons).toContain("grants:managementApiToken is not set.");
  });
});

describe("Provider and Client check", () => {
  it("applies the wire contract's limits to names", async () => {
    const provider = await checkProvider({}, { name: "ab", description: "d" });
    expect(provider.failures).toEqual([
      { property: "name", reason: "Name must be at least 3 characters long" },
    ]);
    const client = await checkClient({}, { providerId: "p", name: "abc", audience: "ab" });
    expect(client.failures?.map((failure) => failure.property)).toEqual(["audience"]);
  });

  it("says which setting is missing and how to set it", async () => {
    configured({ "grants:apiUrl": "http://127.0.0.1:4000" });
    const result = await checkProvider({}, { name: "abc", description: "d" });
    expect(result.failures).toEqual([
      {
        property: "",
        reason: expect.stringContaining(
          "grants:apiToken is not set. Set it with `pulumi config set --secret grants:apiToken",
        ),
      },
    ]);
  });

  it("falls back to the environment, and rejects a URL that is not http(s)", async () => {
    clearConfiguredSettings();
    vi.stubEnv("GRANTS_API_URL", "ftp://example.com");
    vi.stubEnv("GRANTS_API_TOKEN", "from-env");
    const result = await checkProvider({}, { name: "abc", description: "d" });
    expect(result.failures?.map((failure) => failure.reason)).toEqual([
      expect.stringContaining(
        'grants:apiUrl must be an http(s) URL such as http://127.0.0.1:4000, got "ftp://example.com"',
      ),
    ]);
    vi.stubEnv("GRANTS_API_URL", "http://127.0.0.1:4000");
    expect((await checkProvider({}, { name: "abc", description: "d" })).failures).toEqual([]);
  });

  it("never puts a token into a failure", async () => {
    configured({ "grants:apiUrl": "not a url", "grants:apiToken": "s3cr3t-token" });
    const result = await checkClient({}, { providerId: "", name: "x", audience: "y" });
    expect(JSON.stringify(result)).not.toContain("s3cr3t-token");
  });
});
