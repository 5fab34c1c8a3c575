import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyClientField } from "../../review/client-fields";
import { formatJson } from "../../review/format-json";
import { formatMarkdown } from "../../review/format-markdown";
import { formatText } from "../../review/format-text";
import { reviewPreview } from "../../review/review-preview";
import { runGrantsCli } from "./_cli";
import { mermaidBlock, parseMermaid } from "./_mermaid";

// A real `pulumi preview --json` of test/fixtures/review-eight (stage `after` over `before`, on
// `grants:backend nevis`), recorded by test/review/eight-changes-engine.test.ts's preview and
// trimmed of the serialized providers and the unchanged stack. That engine test holds the exact
// eight changes, the 40-line bound and the golden files; here the recording drives the pure
// functions and the command's options without an engine.
const fixtureFile = path.join(__dirname, "fixtures", "eight-changes.preview.json");
const fixture = JSON.parse(readFileSync(fixtureFile, "utf8"));

describe("pulumi-grants review of a recorded preview that changes access in eight ways", () => {
  const changes = reviewPreview(fixture);

  it("names each change by its client and lists scopes as set differences", () => {
    expect(changes).toHaveLength(8);
    expect(changes.find((c) => c.kind === "scopes-added")?.scopes).toEqual(["orders:delete"]);
    expect(changes.find((c) => c.kind === "scopes-removed")?.scopes).toEqual(["invoices:export"]);
    // Named by the client, not its id.
    expect(new Set(changes.map((c) => c.client))).toEqual(
      new Set(["auditor", "deployer", "reporter"]),
    );
  });

  it("writes a Markdown comment whose Mermaid graph the Mermaid parser accepts", async () => {
    const graph = mermaidBlock(formatMarkdown(changes));
    expect(await parseMermaid(graph)).toMatchObject({ diagramType: "flowchart-v2" });
    // Guard the guard: the parser does reject a broken graph.
    await expect(parseMermaid(graph.replace("-->", "--|"))).rejects.toThrow();
  });

  it("keeps [secret] markers as markers in every format", () => {
    const withSecret = structuredClone(fixture);
    const client = withSecret.steps.find((s: { urn: string }) =>
      s.urn.endsWith("Client::deployer"),
    );
    client.oldState.inputs.signingKey = "[secret]";
    client.newState.inputs.signingKey = "[secret]";
    client.newState.inputs.webhookToken = "[secret]";
    const reviewed = reviewPreview(withSecret);
    for (const output of [formatText(reviewed), formatMarkdown(reviewed), formatJson(reviewed)]) {
      expect(output).toContain("[secret]");
      expect(output).not.toContain("signingKey"); // unchanged, so not reported
    }
    expect(formatText(reviewed)).toContain("webhookToken: (unset) → [secret]");
  });
});

describe("a secretVersion change (an Auth0 secret rotated in place)", () => {
  it("is reported as a secret rotation that ends the old secret, not as a neutral setting", () => {
    const rotated = structuredClone(fixture);
    const step = rotated.steps.find(
      (s: { op: string; urn: string }) => s.op === "update" && s.urn.includes("grants:Client"),
    );
    step.newState.inputs.secretVersion = 2;
    const changes = reviewPreview(rotated);
    const rotation = changes.find((change) => change.field === "secretVersion");
    expect(rotation).toMatchObject({ kind: "secret-rotated", effect: "neutral", after: 2 });
    expect(formatText(changes)).toContain(
      "client secret rotated in place (secretVersion (unset) → 2): the old secret stops working",
    );
  });
});

describe("classifying a client input by its name", () => {
  it.each([
    ["accessTokenTtlSeconds", 3600, 7200, "widens"],
    ["accessTokenTtlSeconds", 7200, 3600, "narrows"],
    ["tokenLifetimeSeconds", 60, 60, "neutral"],
    ["tokenEndpointAuthMethod", "private_key_jwt", "client_secret_post", "widens"],
    ["tokenEndpointAuthMethod", "client_secret_basic", "private_key_jwt", "narrows"],
    ["tokenEndpointAuthMethod", "client_secret_basic", "something_new", "neutral"],
    ["grantTypes", ["client_credentials"], ["client_credentials", "refresh_token"], "widens"],
    ["grantTypes", ["client_credentials", "refresh_token"], ["client_credentials"], "narrows"],
    ["description", "a", "b", "neutral"],
  ])("%s %j → %j %s", (field, before, after, effect) => {
    expect(classifyClientField(field, before, after)).toBe(effect);
  });
});

describe("the pulumi-grants review command", () => {
  it("reads stdin, and --fail-on widen exits 1 when access widens", async () => {
    const run = await runGrantsCli(["review", "--fail-on", "widen"], JSON.stringify(fixture));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("+ orders:delete");
    expect(run.stderr).toContain("--fail-on widen");
  });

  it("exits 0 with --fail-on widen when the change only narrows", async () => {
    const narrowing = structuredClone(fixture);
    narrowing.steps = narrowing.steps.filter((s: { urn: string }) =>
      /deployer-invoices|reporter-metrics/.test(s.urn),
    );
    const run = await runGrantsCli(
      ["review", "-", "--fail-on", "widen", "--format", "json"],
      JSON.stringify(narrowing),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toEqual({ widens: 0, narrows: 2, neutral: 0, drift: 0 });
  });

  it.each([
    [
      ["review", "--format", "html", fixtureFile],
      "USAGE",
      '--format must be one of text, markdown, json; got "html"',
    ],
    [
      ["review", "--fail-on", "anything", fixtureFile],
      "USAGE",
      "--fail-on must be one of widen, change, drift",
    ],
    [["review", "/nonexistent/preview.json"], "INPUT", "cannot read /nonexistent/preview.json"],
    [["review", path.join(__dirname, "_cli.ts")], "INPUT", "is not JSON"],
  ])("rejects %j with a %s error naming the problem", async (args, code, message) => {
    const run = await runGrantsCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error [${code}]`);
    expect(run.stderr).toContain(message);
  });

  it.each([
    ["a stack export", { version: 3, deployment: { resources: [] } }],
    ["stack outputs", { deployerSecret: "[secret]" }],
    ["an empty object", {}],
  ])(
    "rejects %s (JSON without steps) with an INPUT error instead of an empty review",
    async (_, json) => {
      const run = await runGrantsCli(["review", "--fail-on", "change"], JSON.stringify(json));
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/error \[INPUT\]: not the JSON of `pulumi preview --json`.*steps/);
    },
  );

  it("rejects JSON that is not a preview, naming what is wrong", async () => {
    const run = await runGrantsCli(["review"], JSON.stringify({ steps: [{ op: 1 }] }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /error \[INPUT\]: not the JSON of `pulumi preview --json`.*steps\.0\.op/,
    );
  });
});
