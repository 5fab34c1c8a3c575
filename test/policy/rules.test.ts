import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import {
  allowedAuthMethods,
  audienceAllowList,
  forbiddenScopes,
  grantsPolicies,
  grantsPoliciesAt,
  maxScopesPerGrant,
  maxTokenLifetime,
  noAllowAllScopes,
  noUserSubjectGrants,
} from "../../policy/index";

// The rules called as CrossGuard calls them (validateResource with the resource's inputs and
// the pack config), every case of each rule; test/policy/engine.test.ts runs them through
// `pulumi preview --policy-pack`.

const grantType = "pulumi-nodejs:dynamic/grants:ClientGrant";
const clientType = "pulumi-nodejs:dynamic/grants:Client";

async function violations(
  policy: ResourceValidationPolicy,
  type: string,
  name: string,
  props: Record<string, unknown>,
  config: object = {},
): Promise<string[]> {
  const messages: string[] = [];
  const args = {
    type,
    name,
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    props,
    getConfig: () => config,
  } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource as (
    args: ResourceValidationArgs,
    report: (message: string) => void,
  ) => Promise<void> | void;
  await validate(args, (message) => messages.push(message));
  return messages;
}

const grant = (props: Record<string, unknown>) => ({
  clientId: "c1",
  audience: "https://orders.example.com",
  scopes: ["orders:read"],
  allowAllScopes: false,
  subjectType: "client",
  ...props,
});

describe("the pulumi-grants CrossGuard rules", () => {
  it("grants-no-allow-all-scopes fails a grant with allowAllScopes, naming resource, field and rule", async () => {
    expect(
      await violations(noAllowAllScopes, grantType, "orders", grant({ allowAllScopes: true })),
    ).toEqual([
      "ClientGrant orders: allowAllScopes is true; list the scopes the client needs [rule grants-no-allow-all-scopes]",
    ]);
    expect(await violations(noAllowAllScopes, grantType, "orders", grant({}))).toEqual([]);
  });

  it("grants-max-token-lifetime checks every lifetime input of a client against maxSeconds", async () => {
    const client = { name: "deployer", accessTokenTtlSeconds: 7200 };
    expect(await violations(maxTokenLifetime, clientType, "deployer", client)).toEqual([
      "Client deployer: accessTokenTtlSeconds is 7200 s, above the maximum of 3600 s [rule grants-max-token-lifetime]",
    ]);
    expect(
      await violations(maxTokenLifetime, clientType, "deployer", client, { maxSeconds: 7200 }),
    ).toEqual([]);
  });

  it("the client rules read only the inputs they check, so an input unknown during preview does not stop them", async () => {
    // As CrossGuard hands inputs over during preview: reading a value not known yet throws.
    const previewClient = (props: Record<string, unknown>) =>
      new Proxy(
        { providerId: "unknown", ...props },
        {
          get: (target, prop: string) => {
            if (prop === "providerId") throw new Error("providerId can't be known during preview");
            return target[prop as keyof typeof target];
          },
        },
      );
    const client = previewClient({ accessTokenTtlSeconds: 7200, tokenEndpointAuthMethod: "none" });
    expect(await violations(maxTokenLifetime, clientType, "worker", client)).toHaveLength(1);
    expect(await violations(allowedAuthMethods, clientType, "worker", client)).toHaveLength(1);
  });

  it("grants-forbidden-scopes matches * patterns, default and configured", async () => {
    const props = grant({ scopes: ["orders:read", "orders:delete", "admin:all"] });
    expect(await violations(forbiddenScopes, grantType, "orders", props)).toEqual([
      'ClientGrant orders: scopes includes "orders:delete", which matches the forbidden pattern "*:delete" [rule grants-forbidden-scopes]',
    ]);
    expect(
      await violations(forbiddenScopes, grantType, "orders", props, { patterns: ["admin:*"] }),
    ).toEqual([
      'ClientGrant orders: scopes includes "admin:all", which matches the forbidden pattern "admin:*" [rule grants-forbidden-scopes]',
    ]);
  });

  it("grants-audience-allow-list allows every audience until a list is configured", async () => {
    const props = grant({ audience: "https://reports.elsewhere.test" });
    expect(await violations(audienceAllowList, grantType, "reports", props)).toEqual([]);
    const config = { audiences: ["https://*.example.com"] };
    expect(await violations(audienceAllowList, grantType, "reports", props, config)).toEqual([
      'ClientGrant reports: audience "https://reports.elsewhere.test" is not on the allow-list (https://*.example.com) [rule grants-audience-allow-list]',
    ]);
    expect(await violations(audienceAllowList, grantType, "orders", grant({}), config)).toEqual([]);
  });

  it("grants-allowed-auth-methods refuses `none` by default and follows the configured list", async () => {
    const client = { name: "deployer", tokenEndpointAuthMethod: "none" };
    expect(await violations(allowedAuthMethods, clientType, "deployer", client)).toHaveLength(1);
    expect((await violations(allowedAuthMethods, clientType, "deployer", client))[0]).toMatch(
      /^Client deployer: tokenEndpointAuthMethod is "none"; allowed: .* \[rule grants-allowed-auth-methods\]$/,
    );
    const strict = { methods: ["private_key_jwt"] };
    const basic = { name: "deployer", tokenEndpointAuthMethod: "client_secret_basic" };
    expect(await violations(allowedAuthMethods, clientType, "deployer", basic)).toEqual([]);
    expect(await violations(allowedAuthMethods, clientType, "deployer", basic, strict)).toEqual([
      'Client deployer: tokenEndpointAuthMethod is "client_secret_basic"; allowed: private_key_jwt [rule grants-allowed-auth-methods]',
    ]);
  });

  it("grants-no-user-subject-grants fails user grants unless allowUserGrants", async () => {
    const props = grant({ subjectType: "user" });
    expect(await violations(noUserSubjectGrants, grantType, "profile", props)).toEqual([
      'ClientGrant profile: subjectType is "user"; set allowUserGrants to allow it [rule grants-no-user-subject-grants]',
    ]);
    expect(
      await violations(noUserSubjectGrants, grantType, "profile", props, { allowUserGrants: true }),
    ).toEqual([]);
  });

  it("grants-max-scopes-per-grant counts distinct scopes against maxScopes (advisory)", async () => {
    const props = grant({ scopes: ["a:1", "a:2", "a:3", "a:4", "a:4"] });
    expect(maxScopesPerGrant.enforcementLevel).toBe("advisory");
    expect(await violations(maxScopesPerGrant, grantType, "catalog", props)).toEqual([]);
    expect(
      await violations(maxScopesPerGrant, grantType, "catalog", props, { maxScopes: 3 }),
    ).toEqual([
      "ClientGrant catalog: scopes has 4 scopes, more than the maximum of 3 [rule grants-max-scopes-per-grant]",
    ]);
  });

  it("ignores resources that are not grants resources, and unknown inputs during preview", async () => {
    for (const policy of grantsPolicies) {
      expect(
        await violations(policy, "aws:s3/bucket:Bucket", "b", {
          allowAllScopes: true,
          scopes: ["x:delete"],
        }),
      ).toEqual([]);
      expect(await violations(policy, grantType, "g", { clientId: "c1" })).toEqual([]);
    }
  });

  it("has a documented config schema for every configurable rule and can be set to one level", () => {
    expect(grantsPolicies.map((policy) => policy.name)).toEqual([
      "grants-no-allow-all-scopes",
      "grants-max-token-lifetime",
      "grants-forbidden-scopes",
      "grants-audience-allow-list",
      "grants-allowed-auth-methods",
      "grants-no-user-subject-grants",
      "grants-max-scopes-per-grant",
    ]);
    expect(
      grantsPoliciesAt("advisory").every((policy) => policy.enforcementLevel === "advisory"),
    ).toBe(true);
  });
});
