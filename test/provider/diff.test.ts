import { describe, expect, it } from "vitest";
import { diffClient } from "../../provider/resources/client/diff";
import { diffClientGrant } from "../../provider/resources/client-grant/diff";
import { diffProvider } from "../../provider/resources/provider/diff";
import { UNKNOWN } from "../../provider/shared/unknown";

const grantState = {
  clientId: "c1",
  audience: "https://api",
  scopes: ["a", "b"],
  allowAllScopes: false,
  organizationUsage: "deny",
  allowAnyOrganization: false,
  subjectType: "client",
  authorizationDetailsTypes: [],
  isSystem: false,
  __provider: "old code",
};
const grantInputs = { ...grantState, isSystem: undefined, __provider: "new code" };

describe("ClientGrant diff", () => {
  it("answers no change explicitly, whatever __provider holds", async () => {
    expect(await diffClientGrant("g", grantState, grantInputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("ignores the order and duplicates of scopes", async () => {
    const result = await diffClientGrant("g", grantState, {
      ...grantInputs,
      scopes: ["b", "a", "a"],
    });
    expect(result.changes).toBe(false);
  });

  it("compares a state stored sorted (earlier versions) with declared scopes as sets", async () => {
    const sorted = { ...grantState, scopes: ["a", "b"] };
    const declared = { ...grantInputs, scopes: ["b", "a"] };
    expect((await diffClientGrant("g", sorted, declared)).changes).toBe(false);
  });

  it("never counts a changed clientName as a change: the API does not hold it", async () => {
    const named = { ...grantState, clientName: "deployer" };
    const renamed = { ...grantInputs, clientName: "deployer-v2" };
    expect((await diffClientGrant("g", named, renamed)).changes).toBe(false);
  });

  it("updates scopes and organization settings in place", async () => {
    const result = await diffClientGrant("g", grantState, {
      ...grantInputs,
      scopes: ["a"],
      organizationUsage: "allow",
    });
    expect(result).toMatchObject({ changes: true, replaces: [] });
  });

  it.each(["clientId", "audience", "subjectType"])("replaces when %s changes", async (key) => {
    const result = await diffClientGrant("g", grantState, { ...grantInputs, [key]: "user" });
    expect(result).toMatchObject({ changes: true, replaces: [key] });
  });

  it("reads state written without the defaults as the defaults", async () => {
    const old = { clientId: "c1", audience: "https://api", scopes: ["a", "b"] };
    expect((await diffClientGrant("g", old, grantInputs)).changes).toBe(false);
  });

  it("treats an unknown identity input as a replacement during preview", async () => {
    const result = await diffClientGrant("g", grantState, { ...grantInputs, clientId: UNKNOWN });
    expect(result).toMatchObject({ changes: true, replaces: ["clientId"] });
  });
});

describe("Provider and Client diff", () => {
  it("replaces on any input change, as the API has no update", async () => {
    const provider = { name: "n1", description: "d", issuer: "http://x/p/1" };
    expect(await diffProvider("p", provider, { name: "n1", description: "d2" })).toMatchObject({
      changes: true,
      replaces: ["description"],
    });
    const client = { providerId: "p", name: "n", audience: "aud", clientSecret: "s" };
    expect(await diffClient("c", client, { providerId: "p", name: "n", audience: "aud" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(
      await diffClient("c", client, { providerId: "p2", name: "n", audience: "aud" }),
    ).toMatchObject({ changes: true, replaces: ["providerId"] });
  });
});
