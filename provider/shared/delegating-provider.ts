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
  return {
    configure: (request) => load().configure(request),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
