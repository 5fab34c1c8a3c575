import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveManagementSettings } from "../../provider/shared/api-settings";
import { clearGrantsEnvironment } from "../support/provider-config";

afterEach(() => {
  vi.unstubAllEnvs();
});

const problemsOf = (settings: Parameters<typeof resolveManagementSettings>[0]) => {
  const resolution = resolveManagementSettings(settings);
  return resolution.ok ? [] : resolution.problems;
};

describe("the Management API settings", () => {
  it("exchange domain + client id + secret for tokens, at <tenant>/api/v2 by default", () => {
    expect(
      resolveManagementSettings({
        auth0Domain: "tenant.eu.auth0.com",
        auth0ClientId: "m2m-id",
        auth0ClientSecret: "m2m-secret",
      }),
    ).toEqual({
      ok: true,
      settings: {
        managementApiUrl: "https://tenant.eu.auth0.com/api/v2",
        credentials: {
          kind: "clientCredentials",
          tenantUrl: "https://tenant.eu.auth0.com",
          clientId: "m2m-id",
          clientSecret: "m2m-secret",
        },
      },
    });
  });

  it("take a full URL as the domain of a local server", () => {
    const resolution = resolveManagementSettings({
      auth0Domain: "http://127.0.0.1:4000/",
      auth0ClientId: "m2m-id",
      auth0ClientSecret: "m2m-secret",
    });
    expect(resolution.ok && resolution.settings.managementApiUrl).toBe(
      "http://127.0.0.1:4000/api/v2",
    );
  });

  it("name each missing credential key and the keys that need it", () => {
    const problems = problemsOf({ auth0Domain: "tenant.auth0.com" });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("grants:auth0ClientId is not set");
    expect(problems[0]).toContain("It is needed with grants:auth0Domain.");
    expect(problems[1]).toContain(
      "pulumi config set --secret grants:auth0ClientSecret <client secret>",
    );
    expect(problems[1]).toContain("GRANTS_AUTH0_CLIENT_SECRET");
    expect(problemsOf({ auth0ClientId: "x", auth0ClientSecret: "y" })[0]).toContain(
      "grants:auth0Domain is not set",
    );
  });

  it("refuse a domain with a path, echoing it (a domain is not secret)", () => {
    const problems = problemsOf({
      auth0Domain: "https://tenant.auth0.com/api/v2",
      auth0ClientId: "x",
      auth0ClientSecret: "y",
    });
    expect(problems).toEqual([
      expect.stringContaining("grants:auth0Domain must be a host name such as <tenant>.auth0.com"),
    ]);
    expect(problems[0]).toContain('got "https://tenant.auth0.com/api/v2"');
  });

  it("prefer a static managementApiToken when one is configured", () => {
    const resolution = resolveManagementSettings({
      managementApiUrl: "https://tenant.auth0.com/api/v2",
      managementApiToken: "static",
      auth0Domain: "tenant.auth0.com",
      auth0ClientId: "m2m-id",
    });
    expect(resolution).toEqual({
      ok: true,
      settings: {
        managementApiUrl: "https://tenant.auth0.com/api/v2",
        credentials: { kind: "token", token: "static" },
      },
    });
  });

  it("say how to configure either way when neither a token nor credentials are set", () => {
    const problems = problemsOf({ managementApiUrl: "https://tenant.auth0.com/api/v2" });
    expect(problems).toEqual([expect.stringContaining("grants:managementApiToken is not set.")]);
    expect(problems[0]).toContain(
      "set grants:auth0Domain, grants:auth0ClientId, grants:auth0ClientSecret",
    );
  });

  it("fall back to the GRANTS_AUTH0_* environment variables", async () => {
    clearGrantsEnvironment();
    vi.stubEnv("GRANTS_AUTH0_DOMAIN", "tenant.auth0.com");
    vi.stubEnv("GRANTS_AUTH0_CLIENT_ID", "env-id");
    vi.stubEnv("GRANTS_AUTH0_CLIENT_SECRET", "env-secret");
    const resolution = resolveManagementSettings();
    expect(resolution.ok && resolution.settings.credentials).toEqual({
      kind: "clientCredentials",
      tenantUrl: "https://tenant.auth0.com",
      clientId: "env-id",
      clientSecret: "env-secret",
    });
  });
});
