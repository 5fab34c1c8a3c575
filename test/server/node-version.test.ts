import { describe, expect, it } from "vitest";
import { nodeVersionProblem } from "../../server/require-node-version";

describe("the Node.js version guard", () => {
  it.each(["20.20.2", "22.12.0", "18.0.0"])(
    "refuses Node %s with the version it needs",
    (version) => {
      expect(nodeVersionProblem(version)).toContain("needs Node.js 22.13 or newer");
      expect(nodeVersionProblem(version)).toContain(`this is Node.js ${version}`);
    },
  );

  it.each(["22.13.0", "23.0.0", "24.21.0"])("accepts Node %s", (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });
});
