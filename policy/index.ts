// pulumi-grants/policy: CrossGuard rules for grants, to compose into a team's own policy pack.
export {
  allowedAuthMethods,
  audienceAllowList,
  forbiddenScopes,
  grantsPolicies,
  grantsPoliciesAt,
  maxScopesPerGrant,
  maxTokenLifetime,
  noAllowAllScopes,
  noUserSubjectGrants,
} from "./rules";
