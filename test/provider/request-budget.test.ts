import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configureFromEnvironment } from "../../plugin/config";
import { clearConfiguredSettings, storeConfiguredSettings } from "../../provider/config";
import { maxRequestsPerSecond, processRequestBudget } from "../../provider/shared/grants-client";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

describe("grants:maxRequestsPerSecond", () => {
  beforeEach(() => {
    clearGrantsEnvironment();
    clearConfiguredSettings();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    clearConfiguredSettings();
  });

  it("leaves each API origin its host default when unset", () => {
    expect(maxRequestsPerSecond()).toBeUndefined();
    expect(processRequestBudget().maxRequestsPerSecond).toBeUndefined();
  });

  it("comes from stack config, else from GRANTS_MAX_REQUESTS_PER_SECOND", () => {
    vi.stubEnv("GRANTS_MAX_REQUESTS_PER_SECOND", "0.5");
    expect(maxRequestsPerSecond()).toBe(0.5);
    storeConfiguredSettings(configureRequest({ "grants:maxRequestsPerSecond": "4" }).config);
    expect(maxRequestsPerSecond()).toBe(4);
  });

  it("takes unlimited for no ceiling", () => {
    vi.stubEnv("GRANTS_MAX_REQUESTS_PER_SECOND", "unlimited");
    expect(maxRequestsPerSecond()).toBe(Infinity);
  });

  it.each(["0", "-1", "fast", "1e3"])("rejects %j, naming the key and the value", (value) => {
    vi.stubEnv("GRANTS_MAX_REQUESTS_PER_SECOND", value);
    expect(() => maxRequestsPerSecond()).toThrow(
      `grants:maxRequestsPerSecond must be a number of requests per second greater than 0 (such as 2 or 0.5), or "unlimited", got "${value}".`,
    );
  });

  it("is one budget for every client of the provider process, until the setting changes", () => {
    storeConfiguredSettings(configureRequest({ "grants:maxRequestsPerSecond": "3" }).config);
    const budget = processRequestBudget();
    expect(budget.maxRequestsPerSecond).toBe(3);
    expect(processRequestBudget()).toBe(budget);
    storeConfiguredSettings(configureRequest({ "grants:maxRequestsPerSecond": "6" }).config);
    expect(processRequestBudget()).not.toBe(budget);
    expect(processRequestBudget().maxRequestsPerSecond).toBe(6);
  });

  it("reaches the native plugin through PULUMI_CONFIG, like every other setting", () => {
    configureFromEnvironment({ PULUMI_CONFIG: JSON.stringify({ maxRequestsPerSecond: "2.5" }) });
    expect(maxRequestsPerSecond()).toBe(2.5);
  });
});
