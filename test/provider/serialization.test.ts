import { afterEach, describe, expect, it, vi } from "vitest";
import { configureRequest } from "../support/provider-config";
import { loadDynamicProviders, repoRequire, serializeProvider } from "../support/provider-package";

const SECRET_TOKEN = "tok-serialization-7f3a9c1e-must-never-leak";
const implementationModules = {
  Provider: ["provider", "providerImplementation"],
  Client: ["client", "clientImplementation"],
  ClientGrant: ["client-grant", "clientGrantImplementation"],
} as const;

afterEach(() => {
  vi.unstubAllEnvs();
  (
    repoRequire("pulumi-grants/internal/provider/config") as { clearConfiguredSettings(): void }
  ).clearConfiguredSettings();
});

describe("the serialized dynamic providers", () => {
  it.each(Object.entries(implementationModules))(
    "%s serializes to a few lines that require the installed implementation and hold no credential",
    async (kind, [folder, exportName]) => {
      // Credentials present in the program process, as in real use: in the environment and in
      // the (configured) implementation module. Neither may reach the serialized text.
      vi.stubEnv("GRANTS_API_TOKEN", SECRET_TOKEN);
      vi.stubEnv("GRANTS_MANAGEMENT_API_TOKEN", SECRET_TOKEN);
      const implementation = repoRequire(
        `pulumi-grants/internal/provider/resources/${folder}/crud`,
      )[exportName] as { configure(request: unknown): Promise<void> };
      await implementation.configure(
        configureRequest({
          "grants:apiUrl": "http://127.0.0.1:1",
          "grants:apiToken": SECRET_TOKEN,
        }),
      );

      const provider = loadDynamicProviders()[kind as keyof typeof implementationModules];
      const { text, containsSecrets } = await serializeProvider(provider);

      expect(Buffer.byteLength(text)).toBeLessThan(3 * 1024);
      expect(containsSecrets).toBe(false);
      expect(text).not.toContain(SECRET_TOKEN);
      expect(text).toContain(`require("pulumi-grants/internal/provider/resources/${folder}/crud")`);
      // Only that reference: no copy of our modules, the sdk, zod or undici.
      expect(text.match(/require\(/g)).toHaveLength(1);
      for (const fragment of ["createGrantsClient", "storeConfiguredSettings", "zod", "undici"]) {
        expect(text).not.toContain(fragment);
      }
      for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
        expect(text).toContain(`${method}: __f`);
      }
    },
  );

  it("is the same text every time, so state does not churn between runs", async () => {
    const { ClientGrant } = loadDynamicProviders();
    const first = await serializeProvider(ClientGrant);
    const second = await serializeProvider(ClientGrant);
    expect(second.text).toBe(first.text);
  });
});
