import type { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { globPattern, grantsKindOf, inputNames, stringList, violation } from "./grants-resource";

/**
 * The grants rules for Pulumi CrossGuard. Each reads the inputs of `grants:Client` /
 * `grants:ClientGrant` resources; an input not known yet (preview before a dependency exists)
 * is skipped, and checked again on `up`. Each rule's config is documented in docs/policy.md.
 */

/** No grant may allow every scope of an API (`allowAllScopes: true`). */
export const noAllowAllScopes: ResourceValidationPolicy = {
  name: "grants-no-allow-all-scopes",
  description:
    "A client grant must list its scopes; allowAllScopes also grants every future scope.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "ClientGrant") return;
    if (args.props.allowAllScopes === true) {
      report(
        violation(
          args,
          "allowAllScopes",
          "grants-no-allow-all-scopes",
          "is true; list the scopes the client needs",
        ),
      );
    }
  },
};

/** Token lifetimes of a client at most `maxSeconds` (default 3600). */
export const maxTokenLifetime: ResourceValidationPolicy = {
  name: "grants-max-token-lifetime",
  description:
    "A client's token lifetime inputs (names with ttl, lifetime or expires) stay at or under maxSeconds.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { maxSeconds: { type: "integer", minimum: 1, default: 3600 } },
  },
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "Client") return;
    const { maxSeconds = 3600 } = args.getConfig<{ maxSeconds?: number }>();
    for (const field of inputNames(args.props, /ttl|lifetime|expires/i)) {
      const value: unknown = args.props[field];
      if (typeof value === "number" && value > maxSeconds) {
        report(
          violation(
            args,
            field,
            "grants-max-token-lifetime",
            `is ${value} s, above the maximum of ${maxSeconds} s`,
          ),
        );
      }
    }
  },
};

/** No scope matching a forbidden pattern (`*` globs; default `delete:*`, `*:delete`, `*:admin`). */
export const forbiddenScopes: ResourceValidationPolicy = {
  name: "grants-forbidden-scopes",
  description: "A client grant must not include a scope matching one of the forbidden patterns.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      patterns: {
        type: "array",
        items: { type: "string" },
        default: ["delete:*", "*:delete", "*:admin"],
      },
    },
  },
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "ClientGrant") return;
    const { patterns = ["delete:*", "*:delete", "*:admin"] } = args.getConfig<{
      patterns?: string[];
    }>();
    for (const scope of stringList(args.props.scopes)) {
      const hit = patterns.find((pattern) => globPattern(pattern).test(scope));
      if (hit !== undefined) {
        report(
          violation(
            args,
            "scopes",
            "grants-forbidden-scopes",
            `includes "${scope}", which matches the forbidden pattern "${hit}"`,
          ),
        );
      }
    }
  },
};

/** Grants only for APIs on the allow-list (`audiences`, `*` globs); an empty list allows all. */
export const audienceAllowList: ResourceValidationPolicy = {
  name: "grants-audience-allow-list",
  description: "A client grant's audience must be on the allow-list (no list: every audience).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { audiences: { type: "array", items: { type: "string" }, default: [] } },
  },
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "ClientGrant") return;
    const { audiences = [] } = args.getConfig<{ audiences?: string[] }>();
    const audience = args.props.audience;
    if (audiences.length === 0 || typeof audience !== "string") return;
    if (!audiences.some((allowed) => globPattern(allowed).test(audience))) {
      report(
        violation(
          args,
          "audience",
          "grants-audience-allow-list",
          `"${audience}" is not on the allow-list (${audiences.join(", ")})`,
        ),
      );
    }
  },
};

const defaultAuthMethods = [
  "client_secret_basic",
  "client_secret_post",
  "client_secret_jwt",
  "private_key_jwt",
  "tls_client_auth",
  "self_signed_tls_client_auth",
];

/** Client authentication methods only from `methods` (default: every method but `none`). */
export const allowedAuthMethods: ResourceValidationPolicy = {
  name: "grants-allowed-auth-methods",
  description:
    "A client's token endpoint authentication method (inputs named …auth…method) must be allowed.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      methods: { type: "array", items: { type: "string" }, default: defaultAuthMethods },
    },
  },
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "Client") return;
    const { methods = defaultAuthMethods } = args.getConfig<{ methods?: string[] }>();
    for (const field of inputNames(args.props, /auth.*method/i)) {
      const value: unknown = args.props[field];
      if (typeof value === "string" && !methods.includes(value)) {
        report(
          violation(
            args,
            field,
            "grants-allowed-auth-methods",
            `is "${value}"; allowed: ${methods.join(", ")}`,
          ),
        );
      }
    }
  },
};

/** No `user` subject grants unless `allowUserGrants` is true. */
export const noUserSubjectGrants: ResourceValidationPolicy = {
  name: "grants-no-user-subject-grants",
  description:
    "Client grants are machine-to-machine (subjectType client) unless allowUserGrants is set.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { allowUserGrants: { type: "boolean", default: false } },
  },
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "ClientGrant") return;
    const { allowUserGrants = false } = args.getConfig<{ allowUserGrants?: boolean }>();
    if (args.props.subjectType === "user" && !allowUserGrants) {
      report(
        violation(
          args,
          "subjectType",
          "grants-no-user-subject-grants",
          `is "user"; set allowUserGrants to allow it`,
        ),
      );
    }
  },
};

/** At most `maxScopes` scopes per grant (default 10). */
export const maxScopesPerGrant: ResourceValidationPolicy = {
  name: "grants-max-scopes-per-grant",
  description:
    "A client grant lists at most maxScopes scopes; more suggests a client doing too much.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: { maxScopes: { type: "integer", minimum: 1, default: 10 } },
  },
  validateResource: (args, report) => {
    if (grantsKindOf(args.type) !== "ClientGrant") return;
    const { maxScopes = 10 } = args.getConfig<{ maxScopes?: number }>();
    const count = new Set(stringList(args.props.scopes)).size;
    if (count > maxScopes) {
      report(
        violation(
          args,
          "scopes",
          "grants-max-scopes-per-grant",
          `has ${count} scopes, more than the maximum of ${maxScopes}`,
        ),
      );
    }
  },
};

/** Every grants rule, to spread into a pack's `policies`. */
export const grantsPolicies: ResourceValidationPolicy[] = [
  noAllowAllScopes,
  maxTokenLifetime,
  forbiddenScopes,
  audienceAllowList,
  allowedAuthMethods,
  noUserSubjectGrants,
  maxScopesPerGrant,
];

/** The rules at one enforcement level (e.g. `advisory` while a team adopts them). */
export function grantsPoliciesAt(level: EnforcementLevel): ResourceValidationPolicy[] {
  return grantsPolicies.map((policy) => ({ ...policy, enforcementLevel: level }));
}
