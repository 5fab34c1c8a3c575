import type * as pulumi from "@pulumi/pulumi";

/** What each resource's crud.ts implements: every method of a dynamic provider. */
export type ResourceImplementation<Inputs, Outputs> = Required<
  pulumi.dynamic.ResourceProvider<Inputs, Outputs>
>;

/**
 * The dynamic provider of one resource kind: methods that hold no state and no credential and
 * call `load()` when they run. `load` must `require()` the implementation by package name inside
 * its body: Pulumi's closure serializer never captures `require`, so the provider serialized into
 * the state is these few lines, and `refresh`/`destroy` run the installed version of the package
 * rather than code frozen in the state. The dynamic-provider process resolves the name from the
 * Pulumi project's `node_modules`.
 */
export function delegatingProvider<Inputs, Outputs>(
  load: () => ResourceImplementation<Inputs, Outputs>,
): ResourceImplementation<Inputs, Outputs> {
  // A MODULE_NOT_FOUND gets what to do: the bare "Cannot find module" says neither where Node
  // looked nor why the program itself loaded the package (it resolves from its own file, this
  // process from the project directory). Comments stay out of the body: it is serialized.
  const loaded = () => {
    try {
      return load();
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== "MODULE_NOT_FOUND") throw error;
      throw Object.assign(
        new Error(
          `${String((error as Error).message).split("\n")[0]} from ${process.cwd()}: install ` +
            "pulumi-grants and @pulumi/pulumi there, or hoist them (docs/troubleshooting.md)",
          { cause: error },
        ),
        { code: "MODULE_NOT_FOUND" },
      );
    }
  };
  return {
    configure: (request) => loaded().configure(request),
    check: (olds, news) => loaded().check(olds, news),
    diff: (id, olds, news) => loaded().diff(id, olds, news),
    create: (inputs) => loaded().create(inputs),
    read: (id, props) => loaded().read(id, props),
    update: (id, olds, news) => loaded().update(id, olds, news),
    delete: (id, props) => loaded().delete(id, props),
  };
}
