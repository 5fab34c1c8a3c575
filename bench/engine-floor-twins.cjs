// The no-op dynamic providers of bench/engine-floor.ts's floor, loaded by the engine's
// dynamic-provider process through a `__provider` text of the same form (and about the same
// size) as the grants resources' own. Each answers from memory with what its grants twin's state
// holds, so the engine carries the same properties and values for both stacks: `check` fills in
// the inputs the twin's check filled in, `create` returns the twin's outputs, `read` its inputs.
// The bench hands the twins' state over in GRANTS_BENCH_FLOOR_STATE (the engine passes its
// environment to its plugins); the program's own values (names, references) win over them.
"use strict";

const twins = JSON.parse(process.env.GRANTS_BENCH_FLOOR_STATE ?? "{}");

function twinOf(kind) {
  const twin = twins[kind];
  if (twin === undefined) throw new Error(`GRANTS_BENCH_FLOOR_STATE holds no ${kind}`);
  return {
    async check(_olds, news) {
      return { inputs: { ...twin.inputs, ...news } };
    },
    async diff() {
      return { changes: false };
    },
    async create(inputs) {
      const id = `noop-${Math.random().toString(36).slice(2)}`;
      return { id, outs: { ...twin.outputs, ...inputs } };
    },
    async read(id, props) {
      const inputs = Object.fromEntries(
        Object.keys(twin.inputs).map((key) => [key, props?.[key] ?? twin.inputs[key]]),
      );
      return { id, props, inputs };
    },
    async update(_id, _olds, news) {
      return { outs: { ...twin.outputs, ...news } };
    },
    async delete() {},
  };
}

exports.Provider = twinOf("Provider");
exports.Client = twinOf("Client");
exports.ClientGrant = twinOf("ClientGrant");
