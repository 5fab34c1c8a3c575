import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./pulumi-engine";

/**
 * The module paths and export names that serialized dynamic providers name: every stack's state
 * holds `require("pulumi-grants/internal/provider/resources/<folder>/crud").<export>` for each
 * resource it has, and refresh and destroy run that text. Documented in docs/compatibility.md;
 * an entry is never removed (a rename keeps the old path and name working).
 */
export const stateContract = [
  { kind: "Provider", folder: "provider", exportName: "providerImplementation" },
  { kind: "Client", folder: "client", exportName: "clientImplementation" },
  { kind: "ClientGrant", folder: "client-grant", exportName: "clientGrantImplementation" },
] as const;

/** The module path that state names for a contract entry. */
export function contractModule(folder: string): string {
  return `pulumi-grants/internal/provider/resources/${folder}/crud`;
}

/** What test/fixtures/state/generate.ts wrote for one release (see its README). */
export interface StateFixture {
  readonly dir: string;
  readonly release: string;
  readonly pulumiCli: string;
  readonly project: string;
  readonly stack: string;
  readonly adminToken: string;
  readonly masterKey: string;
  readonly passphrase: string;
  readonly publicUrl: string;
  /** `pulumi stack export` of the fixture stack, parsed. */
  readonly deployment: Deployment;
}

/** The part of an exported deployment the tests read. */
export interface Deployment {
  version: number;
  deployment: {
    resources: {
      urn: string;
      type: string;
      id?: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    }[];
  };
}

export const stateFixturesDir = path.join(projectRoot, "test", "fixtures", "state");

/** Every committed fixture, oldest release first. */
export function stateFixtures(): StateFixture[] {
  return readdirSync(stateFixturesDir)
    .filter((name) => /^v\d+\.\d+\.\d+/.test(name))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((name) => {
      const dir = path.join(stateFixturesDir, name);
      const meta = JSON.parse(readFileSync(path.join(dir, "fixture.json"), "utf8")) as Omit<
        StateFixture,
        "dir" | "deployment"
      >;
      const deployment = JSON.parse(
        readFileSync(path.join(dir, "stack.json"), "utf8"),
      ) as Deployment;
      return { ...meta, dir, deployment };
    });
}

/** Every `require("…").name` in the `__provider` texts of a deployment, deduplicated. */
export function requiredImplementations(
  deployment: Deployment,
): { module: string; exportName: string }[] {
  const found = new Map<string, { module: string; exportName: string }>();
  for (const resource of deployment.deployment.resources) {
    const text = resource.inputs?.__provider;
    if (typeof text !== "string") continue;
    for (const match of text.matchAll(/require\("([^"]+)"\)\s*\.(\w+)/g)) {
      found.set(`${match[1]}#${match[2]}`, { module: match[1]!, exportName: match[2]! });
    }
  }
  return [...found.values()];
}

/**
 * The deployment with its default providers pointed at `apiUrl`: refresh and destroy configure
 * providers from the state, which names the server the fixture was made against (gone now).
 * A user who moves their grant server does the same with `pulumi up` before refreshing.
 */
export function pointedAt(deployment: Deployment, apiUrl: string): Deployment {
  const copy = structuredClone(deployment);
  for (const resource of copy.deployment.resources) {
    if (!resource.type.startsWith("pulumi:providers:")) continue;
    for (const values of [resource.inputs, resource.outputs]) {
      if (values !== undefined && "grants:apiUrl" in values) values["grants:apiUrl"] = apiUrl;
    }
  }
  return copy;
}
