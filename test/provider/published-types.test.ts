import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/pulumi-engine";

const run = promisify(execFile);

// The tsconfig `pulumi new typescript` writes: moduleResolution node (which ignores `exports`),
// no esModuleInterop, no skipLibCheck, so every .d.ts the package reaches is checked.
const templateTsconfig = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: false,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as grants from "pulumi-grants";
import { startServer } from "pulumi-grants/server";
import type { StartServerOptions } from "pulumi-grants/server";
import { createGrantsClient, isGrantsError, GRANTS_NOT_FOUND } from "pulumi-grants/sdk";
import type { ClientGrant, GrantsClient } from "pulumi-grants/sdk";

const issuer = new grants.Provider("ci-issuer", { name: "ci-issuer", description: "CI" });
const deployer = new grants.Client("deployer", {
  providerId: issuer.id,
  name: "deployer",
  audience: "https://api.example.com",
});
new grants.ClientGrant("deployer-orders", {
  clientId: deployer.id,
  audience: "https://orders.example.com",
  scopes: ["orders:read"],
  organizationUsage: "deny",
});
export const token: pulumi.Output<string> = grants.getAccessToken({
  providerId: issuer.id,
  clientId: deployer.id,
}).accessToken;
const options: StartServerOptions = { dataDir: ".grants", port: 0 };
const grant: ClientGrant | undefined = undefined;
const client: GrantsClient | undefined = undefined;
void [startServer, options, grant, client, createGrantsClient, isGrantsError, GRANTS_NOT_FOUND];
`;

let base: string;

beforeAll(async () => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), "grants-types-")));
  const packed = await run("npm", ["pack", "--pack-destination", base, "--json"], {
    cwd: projectRoot,
  });
  const tarball = path.join(
    base,
    (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename,
  );
  const versionOf = (name: string) =>
    (
      JSON.parse(
        readFileSync(path.join(projectRoot, "node_modules", name, "package.json"), "utf8"),
      ) as {
        version: string;
      }
    ).version;
  writeFileSync(
    path.join(base, "package.json"),
    JSON.stringify({ name: "stranger", private: true }),
  );
  await run(
    "npm",
    [
      "install",
      tarball,
      `@pulumi/pulumi@${versionOf("@pulumi/pulumi")}`,
      `typescript@${versionOf("typescript")}`,
      `@types/node@${versionOf("@types/node")}`,
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
    ],
    { cwd: base, maxBuffer: 16 * 1024 * 1024 },
  );
  writeFileSync(path.join(base, "index.ts"), program);
}, 240_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

async function typecheck(tsconfig: object): Promise<string> {
  writeFileSync(path.join(base, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  try {
    await run(process.execPath, [path.join(base, "node_modules/typescript/bin/tsc"), "--noEmit"], {
      cwd: base,
    });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout ?? String(error);
  }
}

describe("the packed package's published types", () => {
  it("compile in a project with Pulumi's template tsconfig, for pulumi-grants, /sdk and /server", async () => {
    expect(await typecheck(templateTsconfig)).toBe("");
  });

  it("compile for the zod contract (pulumi-grants/sdk/contract) once esModuleInterop is on, as zod's typings need", async () => {
    writeFileSync(
      path.join(base, "contract.ts"),
      'import { clientGrantSchema } from "pulumi-grants/sdk/contract";\n' +
        'export const parsed = clientGrantSchema.parse({ id: "cgr_1", audience: "a" }).audience;\n',
    );
    const withInterop = {
      ...templateTsconfig,
      compilerOptions: { ...templateTsconfig.compilerOptions, esModuleInterop: true },
      files: ["index.ts", "contract.ts"],
    };
    expect(await typecheck(withInterop)).toBe("");
  });
});
