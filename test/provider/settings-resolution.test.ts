import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  clearConfiguredSettings,
  currentSettings,
  storeConfiguredSettings,
} from "../../provider/config";
import { resolveUseGrantSettings } from "../../provider/shared/api-settings";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

describe("the provider's settings, read on every check", () => {
  beforeEach(() => {
    clearGrantsEnvironment();
    clearConfiguredSettings();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    clearConfiguredSettings();
  });

  it("are resolved once while no value changes, so 500 checks parse the URL once", () => {
    vi.stubEnv("GRANTS_API_URL", "http://127.0.0.1:4000");
    vi.stubEnv("GRANTS_API_TOKEN", "token-one");
    expect(currentSettings()).toBe(currentSettings());
    expect(resolveUseGrantSettings()).toBe(resolveUseGrantSettings());
  });

  it("follow a changed environment variable or stack config at once, never a stale value", () => {
    vi.stubEnv("GRANTS_API_URL", "http://127.0.0.1:4000");
    vi.stubEnv("GRANTS_API_TOKEN", "token-one");
    expect(resolveUseGrantSettings()).toEqual({
      ok: true,
      settings: { apiUrl: "http://127.0.0.1:4000", apiToken: "token-one" },
    });

    vi.stubEnv("GRANTS_API_TOKEN", "token-two");
    expect(resolveUseGrantSettings()).toMatchObject({ settings: { apiToken: "token-two" } });

    storeConfiguredSettings(configureRequest({ "grants:apiUrl": "ftp://example.com" }).config);
    expect(resolveUseGrantSettings()).toMatchObject({ ok: false });

    clearConfiguredSettings();
    vi.stubEnv("GRANTS_API_URL", undefined);
    expect(resolveUseGrantSettings()).toMatchObject({ ok: false });
  });

  it("keep what the caller passed apart from what the process holds", () => {
    vi.stubEnv("GRANTS_API_URL", "http://127.0.0.1:4000");
    vi.stubEnv("GRANTS_API_TOKEN", "token-one");
    expect(
      resolveUseGrantSettings({ apiUrl: "http://127.0.0.1:5000", apiToken: "passed" }),
    ).toMatchObject({ settings: { apiUrl: "http://127.0.0.1:5000", apiToken: "passed" } });
    expect(resolveUseGrantSettings()).toMatchObject({ settings: { apiToken: "token-one" } });
  });
});
