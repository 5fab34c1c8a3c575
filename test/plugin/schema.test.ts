import { settingSources } from "../../provider/config";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { schemaText } from "../../plugin/write-schema";
import { projectRoot } from "../support/pulumi-engine";

describe("the native package schema", () => {
  it("is the committed plugin/schema.json, regenerated from the zod contract (run `npm run build` when this fails)", () => {
    const committed = readFileSync(path.join(projectRoot, "plugin", "schema.json"), "utf8");
    expect(committed).toBe(schemaText());
  });

  it("marks the client secret and the minted token secret, and lists every setting as config", () => {
    const schema = JSON.parse(schemaText());
    expect(schema.resources["grants:index:Client"].properties.clientSecret.secret).toBe(true);
    expect(
      schema.functions["grants:index:getAccessToken"].outputs.properties.accessToken.secret,
    ).toBe(true);
    expect(Object.keys(schema.config.variables).sort()).toEqual(Object.keys(settingSources).sort());
    expect(schema.config.variables.apiToken.secret).toBe(true);
  });

  it("gives an explicit provider the same settings as arguments, the token a secret", () => {
    const schema = JSON.parse(schemaText());
    expect(Object.keys(schema.provider.inputProperties).sort()).toEqual(
      Object.keys(settingSources).sort(),
    );
    expect(schema.provider.inputProperties.apiToken.secret).toBe(true);
  });
});
