import { readFileSync } from "node:fs";
import path from "node:path";
import type * as provider from "@pulumi/pulumi/provider";
import { issueFailures } from "../provider/shared/check-inputs";
import { configureFromEnvironment } from "./config";
import { markSecret, unwrapProperties, withoutUndefined } from "./envelopes";
import { nativeFunctions } from "./functions";
import type { NativeResource } from "./resources";
import { nativeResources, secretKeysOf } from "./resources";
import { packageSchema } from "./schema";

/** The version of this package, which is the plugin's version. */
export function packageVersion(from: string = __dirname): string {
  let dir = from;
  for (let depth = 0; depth < 6; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (manifest.name === "pulumi-grants") return String(manifest.version);
    } catch {
      // not here; look one level up
    }
    dir = path.dirname(dir);
  }
  throw new Error(
    `pulumi-resource-grants: cannot find the pulumi-grants package.json above ${from}`,
  );
}

/** `urn:pulumi:<stack>::<project>::<parent$>type::<name>` → the resource type token. */
function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

function resourceOf(urn: string): NativeResource {
  const token = typeOf(urn);
  const found = nativeResources.find((resource) => resource.token === token);
  if (found === undefined)
    throw new Error(`pulumi-resource-grants: unknown resource type ${token}`);
  return found;
}

/** Outputs as the engine stores them: no undefined, secrets in envelopes. */
function outputsOf(resource: NativeResource, outs: unknown, secretInputs: Iterable<string>) {
  return markSecret(withoutUndefined(outs as object | undefined), [
    ...secretKeysOf(resource.outputs),
    ...secretInputs,
  ]);
}

/**
 * The native provider: the engine's calls go to the same crud implementations the dynamic
 * resources use (provider/resources/<kind>/crud.ts), after the values are unwrapped from their
 * wire envelopes; outputs go back with secrets marked.
 */
export function grantsProvider(version: string = packageVersion()): provider.Provider {
  const schema = JSON.stringify(packageSchema(version));
  configureFromEnvironment();
  return {
    version,
    schema,

    async check(urn, olds, news) {
      const resource = resourceOf(urn);
      const next = unwrapProperties(news);
      const result = await resource.implementation.check(
        unwrapProperties(olds).value as never,
        next.value as never,
      );
      return {
        inputs: markSecret(withoutUndefined(result.inputs ?? next.value), next.secretKeys),
        failures: [...(result.failures ?? [])],
      };
    },

    async diff(id, urn, olds, news) {
      const resource = resourceOf(urn);
      return resource.implementation.diff(
        id,
        unwrapProperties(olds).value as never,
        unwrapProperties(news).value as never,
      );
    },

    async create(urn, inputs) {
      const resource = resourceOf(urn);
      const plain = unwrapProperties(inputs);
      const result = await resource.implementation.create(plain.value as never);
      return { id: result.id, outs: outputsOf(resource, result.outs, plain.secretKeys) };
    },

    async read(id, urn, props) {
      const resource = resourceOf(urn);
      const state = unwrapProperties(props);
      let readId = id;
      let readProps: Record<string, unknown> | undefined = state.value;
      // `pulumi import` sends no state; the import id then carries what read needs.
      const importing = Object.keys(state.value).length === 0;
      if (importing) {
        readProps = undefined;
        if (resource.importId !== undefined) {
          const parsed = resource.importId.parse(id);
          if (parsed === undefined) {
            throw new Error(
              `${resource.token}: the import id must be ${resource.importId.format}, got "${id}".`,
            );
          }
          readId = parsed.id;
          readProps = parsed.props;
        }
      }
      const result = await resource.implementation.read(readId, readProps as never);
      if (result.id === undefined || result.props === undefined) {
        if (importing) throw new Error(`${resource.token} ${id} does not exist on the server.`);
        // Gone: an empty id makes refresh drop it from state.
        return { id: "", props: {} };
      }
      return {
        id: result.id,
        props: outputsOf(resource, result.props, state.secretKeys),
        inputs: withoutUndefined(result.inputs as object | undefined),
      };
    },

    async update(id, urn, olds, news) {
      const resource = resourceOf(urn);
      const before = unwrapProperties(olds);
      const after = unwrapProperties(news);
      const result = await resource.implementation.update(
        id,
        before.value as never,
        after.value as never,
      );
      return {
        outs: outputsOf(resource, result.outs, [...before.secretKeys, ...after.secretKeys]),
      };
    },

    async delete(id, urn, props) {
      const resource = resourceOf(urn);
      await resource.implementation.delete(id, unwrapProperties(props).value as never);
    },

    async invoke(token, inputs) {
      const fn = nativeFunctions.find((candidate) => candidate.token === token);
      if (fn === undefined) throw new Error(`pulumi-resource-grants: unknown function ${token}`);
      const args = withoutUndefined(unwrapProperties(inputs).value);
      const problem = fn.crossFieldProblem?.(args);
      if (problem !== undefined) return { failures: [problem] };
      const parsed = fn.inputs.safeParse(args);
      if (!parsed.success) return { failures: issueFailures(parsed.error.issues) };
      const result = await fn.run(parsed.data as never);
      return { outputs: markSecret(withoutUndefined(result), secretKeysOf(fn.outputs)) };
    },
  };
}
