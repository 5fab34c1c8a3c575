import * as pulumi from "@pulumi/pulumi";

/** The resource kinds of the package, as their Pulumi type tokens name them. */
export type DynamicResourceKind = "Provider" | "Client" | "ClientGrant";

/**
 * The `__provider` text of a resource kind: a CommonJS module whose `handler()` returns the
 * installed implementation, loaded by package name from the engine's provider process.
 *
 * Written by hand rather than by Pulumi's closure serializer (which `pulumi.dynamic.Resource`
 * runs): the engine stores this text twice per resource (inputs and outputs), sends it in every
 * Check and Diff, and rewrites the whole state file after each step, so its size is paid per
 * resource per step. The serializer wraps each of seven delegating methods in its own scope
 * object (about 3 KB in all); this is under 600 bytes and holds the same contract
 * (docs/compatibility.md): the module path and export name never change.
 *
 * A MODULE_NOT_FOUND gets what to do: the bare "Cannot find module" says neither where Node
 * looked nor why the program itself loaded the package (it resolves from its own file, the
 * provider process from the project directory).
 */
export function providerCode(implementationModule: string, exportName: string): string {
  return [
    "exports.handler = function () {",
    "  try {",
    `    return require(${JSON.stringify(implementationModule)}).${exportName};`,
    "  } catch (error) {",
    '    if (error === null || typeof error !== "object" || error.code !== "MODULE_NOT_FOUND") throw error;',
    '    throw Object.assign(new Error(String(error.message).split("\\n")[0] + " from " + process.cwd() +',
    '      ": install pulumi-grants and @pulumi/pulumi there, or hoist them (docs/troubleshooting.md)",',
    '      { cause: error }), { code: "MODULE_NOT_FOUND" });',
    "  }",
    "};",
    "",
  ].join("\n");
}

/**
 * What `pulumi.dynamic.Resource` registers, with {@link providerCode} as `__provider`: the
 * `pulumi-nodejs:dynamic/grants:<kind>` type, which the engine runs in its Node.js dynamic
 * provider, exactly as for any dynamic resource.
 */
export abstract class DynamicResource extends pulumi.CustomResource {
  protected constructor(
    kind: DynamicResourceKind,
    code: string,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    // `__provider` last: a key of that name in a JavaScript program's arguments is overwritten.
    super(`pulumi-nodejs:dynamic/grants:${kind}`, name, { ...props, __provider: code }, opts);
  }
}
