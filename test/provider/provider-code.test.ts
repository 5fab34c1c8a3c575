import { mkdtempSync, rmSync } from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { configureRequest } from "../support/provider-config";
import { loadGrantsPackage, loadProviderCode, repoRequire } from "../support/provider-package";
import { projectRoot } from "../support/pulumi-engine";

const SECRET_TOKEN = "tok-provider-code-7f3a9c1e-must-never-leak";
const contract = {
  Provider: ["provider", "providerImplementation"],
  Client: ["client", "clientImplementation"],
  ClientGrant: ["client-grant", "clientGrantImplementation"],
} as const;
type Kind = keyof typeof contract;
const methods = ["configure", "check", "diff", "create", "read", "update", "delete"];

const runtime = (repoRequire("@pulumi/pulumi") as typeof pulumi).runtime;
const registered = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  await runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.type, args.inputs as Record<string, unknown>);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
});

afterEach(() => {
  vi.unstubAllEnvs();
  (
    repoRequire("pulumi-grants/internal/provider/config") as { clearConfiguredSettings(): void }
  ).clearConfiguredSettings();
});

/** The `__provider` a program registers for one resource of `kind`, as the engine receives it. */
async function registeredCode(kind: Kind): Promise<string> {
  const grants = loadGrantsPackage();
  const type = `pulumi-nodejs:dynamic/grants:${kind}`;
  registered.delete(type);
  const resource =
    kind === "Provider"
      ? new grants.Provider("issuer", { name: "issuer", description: "d" })
      : kind === "Client"
        ? new grants.Client("client", { providerId: "p", name: "client" })
        : new grants.ClientGrant("grant", { clientId: "c", audience: "https://a.example.com" });
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  return registered.get(type)!.__provider as string;
}

/** Runs provider code as @pulumi/pulumi's dynamic-provider host does: a module compiled from text. */
function handlerOf(code: string, searchFrom: string): () => Record<string, unknown> {
  const compiled = new Module("", undefined);
  compiled.paths = (
    Module as unknown as { _nodeModulePaths(dir: string): string[] }
  )._nodeModulePaths(searchFrom);
  (compiled as unknown as { _compile(text: string, file: string): void })._compile(code, "");
  return (compiled.exports as { handler: () => Record<string, unknown> }).handler;
}

describe("the provider code each resource stores in the state (__provider)", () => {
  it.each(Object.keys(contract) as Kind[])(
    "%s registers a few hundred bytes that require only the installed implementation, and no credential",
    async (kind) => {
      // Credentials present in the program process, as in real use: in the environment and in
      // the (configured) implementation module. None may reach the registered text.
      vi.stubEnv("GRANTS_API_TOKEN", SECRET_TOKEN);
      vi.stubEnv("GRANTS_MANAGEMENT_API_TOKEN", SECRET_TOKEN);
      const [folder, exportName] = contract[kind];
      const implementation = repoRequire(
        `pulumi-grants/internal/provider/resources/${folder}/crud`,
      )[exportName] as { configure(request: unknown): Promise<void> };
      await implementation.configure(
        configureRequest({
          "grants:apiUrl": "http://127.0.0.1:1",
          "grants:apiToken": SECRET_TOKEN,
        }),
      );

      const code = await registeredCode(kind);

      expect(code).toBe(loadProviderCode()[kind]);
      expect(Buffer.byteLength(code)).toBeLessThan(600);
      expect(code).not.toContain(SECRET_TOKEN);
      expect(code).toContain(
        `require("pulumi-grants/internal/provider/resources/${folder}/crud").${exportName}`,
      );
      expect(code.match(/require\(/g)).toHaveLength(1);
    },
  );

  it.each(Object.keys(contract) as Kind[])(
    "%s code hands the dynamic-provider host the installed implementation, with every provider method",
    (kind) => {
      const [folder, exportName] = contract[kind];
      const provider = handlerOf(loadProviderCode()[kind], projectRoot)();
      expect(provider).toBe(
        repoRequire(`pulumi-grants/internal/provider/resources/${folder}/crud`)[exportName],
      );
      for (const method of methods) expect(typeof provider[method], method).toBe("function");
    },
  );

  describe("in a project where pulumi-grants is not installed", () => {
    let empty: string;
    beforeAll(() => {
      empty = mkdtempSync(path.join(os.tmpdir(), "grants-no-package-"));
    });
    afterAll(() => rmSync(empty, { recursive: true, force: true }));

    it("fails with what to do, keeping the MODULE_NOT_FOUND code", () => {
      const run = handlerOf(loadProviderCode().ClientGrant, empty);
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({
        code: "MODULE_NOT_FOUND",
        message: expect.stringContaining(
          `from ${process.cwd()}: install pulumi-grants and @pulumi/pulumi there, or hoist them`,
        ),
      });
      expect((thrown as Error).message).toContain(
        "Cannot find module 'pulumi-grants/internal/provider/resources/client-grant/crud'",
      );
    });
  });
});
