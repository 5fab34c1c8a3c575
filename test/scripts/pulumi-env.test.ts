import { afterEach, describe, expect, it, vi } from "vitest";
import { pulumiEnvironment, scriptEnvironment } from "../../scripts/pulumi-env.cjs";

describe("the offline Pulumi environment", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("uses an empty passphrase when the caller has none", () => {
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", undefined);
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE_FILE", undefined);
    expect(pulumiEnvironment().PULUMI_CONFIG_PASSPHRASE).toBe("");
  });

  it("keeps the caller's passphrase", () => {
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", "correct horse");
    expect(pulumiEnvironment().PULUMI_CONFIG_PASSPHRASE).toBe("correct horse");
  });

  it("leaves a passphrase file in charge, which the variable would otherwise override", () => {
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", undefined);
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE_FILE", "/run/secrets/pulumi-passphrase");
    expect(pulumiEnvironment()).not.toHaveProperty("PULUMI_CONFIG_PASSPHRASE");
  });

  it("turns off the update check and plugin downloads, and puts the built CLI first on PATH", () => {
    const env = pulumiEnvironment();
    expect(env).toMatchObject({
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    });
    expect(env.PATH?.split(":")[0]).toMatch(/\.tools\/bin$/);
  });
});

describe("what a user loads into a shell", () => {
  it("keeps Pulumi's confirmation prompts, which only the project's own scripts skip", async () => {
    const { execFileSync } = await import("node:child_process");
    const printed = execFileSync(process.execPath, ["scripts/pulumi-env.cjs", "--print"], {
      encoding: "utf8",
    });
    expect(printed).toContain("export PULUMI_SKIP_UPDATE_CHECK=");
    expect(printed).not.toContain("PULUMI_SKIP_CONFIRMATIONS");
    expect(pulumiEnvironment()).not.toHaveProperty("PULUMI_SKIP_CONFIRMATIONS");
    expect(scriptEnvironment()).toMatchObject({ PULUMI_SKIP_CONFIRMATIONS: "true" });
  });
});
