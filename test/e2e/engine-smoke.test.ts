import { randomUUID } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPulumiSandbox, type PulumiSandbox } from "../support/pulumi-engine";

// A resource with no dependencies at all, so the serialized closure is self-contained.
const echoProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    // The provider process reports its own Node version: it must be the pinned Node 24 too.
    return {
      id: `echo-${inputs.label}`,
      outs: { label: inputs.label, nodeVersion: process.versions.node },
    };
  },
  async read(id, props) {
    return {
      id,
      props: { label: props?.label, nodeVersion: props?.nodeVersion },
      inputs: { label: props?.label },
    };
  },
  async diff(_id, olds, news) {
    return { changes: olds.label !== news.label };
  },
  async update(_id, _olds, news) {
    return { outs: { label: news.label, nodeVersion: process.versions.node } };
  },
  async delete() {},
};

class Echo extends pulumi.dynamic.Resource {
  declare readonly label: pulumi.Output<string>;
  declare readonly nodeVersion: pulumi.Output<string>;
  constructor(name: string, label: string) {
    super(echoProvider, name, { label, nodeVersion: undefined }, undefined, "smoke", "Echo");
  }
}

describe("the Pulumi engine built by scripts/setup", () => {
  let sandbox: PulumiSandbox;
  beforeAll(() => {
    sandbox = createPulumiSandbox();
  });
  afterAll(() => sandbox.cleanup());

  it("runs up, a no-change preview, refresh and destroy of a dynamic resource through the Automation API", async () => {
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: `smoke-${randomUUID().slice(0, 8)}`,
        projectName: "engine-smoke",
        program: async () => {
          const echo = new Echo("echo", "hello");
          return { label: echo.label, nodeVersion: echo.nodeVersion };
        },
      },
      await sandbox.workspaceOptions("engine-smoke"),
    );

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.label.value).toBe("hello");
    expect(up.outputs.nodeVersion.value).toMatch(/^24\./);
    expect(up.summary.resourceChanges?.create).toBe(2); // the stack and the echo resource

    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary.same).toBe(2);

    const refresh = await stack.refresh({ expectNoChanges: true });
    expect(refresh.summary.result).toBe("succeeded");

    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges?.delete).toBe(2);
    await stack.workspace.removeStack(stack.name);
  });
});
