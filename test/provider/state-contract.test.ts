import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadProviderCode, repoRequire } from "../support/provider-package";
import { projectRoot } from "../support/pulumi-engine";
import {
  contractModule,
  requiredImplementations,
  stateContract,
  stateFixtures,
} from "../support/state-fixtures";

const methods = ["configure", "check", "diff", "create", "read", "update", "delete"];
const fixtures = stateFixtures();

describe("the state contract (docs/compatibility.md)", () => {
  it.each(stateContract)(
    "$kind: pulumi-grants/internal/provider/resources/$folder/crud still exports $exportName with every provider method",
    ({ folder, exportName }) => {
      const implementation = (repoRequire(contractModule(folder)) as Record<string, unknown>)[
        exportName
      ] as Record<string, unknown> | undefined;
      expect(implementation, `${contractModule(folder)}.${exportName}`).toBeDefined();
      for (const method of methods)
        expect(typeof implementation?.[method], method).toBe("function");
    },
  );

  it("is what the provider code of today names", () => {
    const code = loadProviderCode();
    for (const { kind, folder, exportName } of stateContract) {
      const required = [...code[kind].matchAll(/require\("([^"]+)"\)\s*\.(\w+)/g)].map((match) => ({
        module: match[1],
        exportName: match[2],
      }));
      expect(required, kind).toEqual([{ module: contractModule(folder), exportName }]);
    }
  });

  it("stays published: the package exports map and files list still ship the internal modules", () => {
    const manifest = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
      files: string[];
    };
    expect(manifest.exports["./internal/provider/*"]).toBe("./dist/provider/*.js");
    expect(manifest.files).toContain("dist/provider");
  });

  it("has a committed state fixture holding every resource kind", () => {
    expect(fixtures.length).toBeGreaterThan(0);
    const newest = fixtures.at(-1)!;
    expect(requiredImplementations(newest.deployment)).toEqual(
      expect.arrayContaining(
        stateContract.map(({ folder, exportName }) => ({
          module: contractModule(folder),
          exportName,
        })),
      ),
    );
  });

  describe.each(fixtures)("the state fixture of release $release", (fixture) => {
    it("names only modules and exports that this release still has", () => {
      const required = requiredImplementations(fixture.deployment);
      expect(required.length).toBeGreaterThan(0);
      for (const { module, exportName } of required) {
        const loaded = repoRequire(module) as Record<string, unknown>;
        expect(typeof loaded[exportName], `${module}.${exportName}`).toBe("object");
      }
    });

    it("keeps client secrets and the admin token encrypted, as real state does", () => {
      const text = readFileSync(path.join(fixture.dir, "stack.json"), "utf8");
      expect(text).not.toContain(fixture.adminToken);
      const clients = fixture.deployment.deployment.resources.filter((resource) =>
        resource.type.endsWith(":Client"),
      );
      expect(clients).toHaveLength(2);
      for (const client of clients) {
        expect(client.outputs?.clientSecret).toEqual(
          expect.objectContaining({ ciphertext: expect.any(String) }),
        );
      }
    });
  });
});
