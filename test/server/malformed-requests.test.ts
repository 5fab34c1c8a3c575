import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { databaseSnapshot } from "./_database";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

/** What the cases address: made once in beforeAll. */
interface Fixtures {
  providerId: string;
  clientId: string;
  clientSecret: string;
  grantId: string;
  domainId: string;
}

interface MalformedCase {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (f: Fixtures) => string;
  /** JSON-encoded unless a string (sent raw). */
  body?: (f: Fixtures) => unknown;
  headers?: Record<string, string>;
  /** Default: the admin token; null: none. */
  token?: string | null;
  status: number;
  /** The error code (useGrant `code`, Auth0 `errorCode`, OAuth `error`). */
  code: string;
  message: RegExp;
}

const BODY_LIMIT = 4096;
const long = (length: number) => "x".repeat(length);
const providers = () => "/v1/providers";
const clients = (f: Fixtures) => `/v1/providers/${f.providerId}/clients`;
const tokens = (f: Fixtures) => `/v1/providers/${f.providerId}/clients/${f.clientId}/tokens`;
const domains = (f: Fixtures) => `/v1/providers/${f.providerId}/domains`;
const grants = () => "/api/v2/client-grants";
const grant = (f: Fixtures) => `/api/v2/client-grants/${f.grantId}`;
const oauth = (f: Fixtures) => `/p/${f.providerId}/oauth/token`;
const form = { "content-type": "application/x-www-form-urlencoded" };
const validProvider = { name: "Valid name", description: "valid" };
const validGrant = (f: Fixtures) => ({ client_id: f.clientId, audience: "https://x.test" });
const cc = (f: Fixtures, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    grant_type: "client_credentials",
    client_id: f.clientId,
    client_secret: f.clientSecret,
    audience: "https://api.example.test",
    ...extra,
  }).toString();

const cases: MalformedCase[] = [
  // useGrant: providers
  {
    name: "provider name too short",
    method: "POST",
    path: providers,
    body: () => ({ name: "ab", description: "d" }),
    status: 400,
    code: "bad_request",
    message: /^name: Name must be at least 3 characters long$/,
  },
  {
    name: "provider name too long",
    method: "POST",
    path: providers,
    body: () => ({ name: long(51), description: "d" }),
    status: 400,
    code: "bad_request",
    message: /^name: Name must be less than 50 characters long$/,
  },
  {
    name: "provider name of the wrong type",
    method: "POST",
    path: providers,
    body: () => ({ name: 42, description: "d" }),
    status: 400,
    code: "bad_request",
    message: /^name: Invalid input: expected string, received number$/,
  },
  {
    name: "provider description empty",
    method: "POST",
    path: providers,
    body: () => ({ name: "Valid", description: "" }),
    status: 400,
    code: "bad_request",
    message: /^description: Description is required$/,
  },
  {
    name: "provider description too long",
    method: "POST",
    path: providers,
    body: () => ({ name: "Valid", description: long(101) }),
    status: 400,
    code: "bad_request",
    message: /^description: Description must be less than 100 characters long$/,
  },
  {
    name: "provider name missing",
    method: "POST",
    path: providers,
    body: () => ({ description: "d" }),
    status: 400,
    code: "bad_request",
    message: /^name: is required$/,
  },
  {
    name: "provider body empty",
    method: "POST",
    path: providers,
    status: 400,
    code: "bad_request",
    message: /^name: is required; description: is required$/,
  },
  {
    name: "provider unknown field",
    method: "POST",
    path: providers,
    body: () => ({ ...validProvider, issuer: "https://evil.test" }),
    status: 400,
    code: "bad_request",
    message: /^issuer: unknown field$/,
  },
  {
    name: "provider signing algorithm unsupported",
    method: "POST",
    path: providers,
    body: () => ({ ...validProvider, signingAlgorithm: "HS256" }),
    status: 400,
    code: "bad_request",
    message: /^signingAlgorithm: /,
  },
  {
    name: "provider body is an array",
    method: "POST",
    path: providers,
    body: () => [validProvider],
    status: 400,
    code: "bad_request",
    message: /^body: Invalid input: expected object, received array$/,
  },
  {
    name: "provider body is null",
    method: "POST",
    path: providers,
    body: () => "null",
    status: 400,
    code: "bad_request",
    message: /^body: /,
  },
  {
    name: "provider body is not JSON",
    method: "POST",
    path: providers,
    body: () => '{"name": "Valid"',
    status: 400,
    code: "bad_request",
    message: /^body: is not valid JSON$/,
  },
  {
    name: "provider body with __proto__",
    method: "POST",
    path: providers,
    body: () => '{"__proto__": {"admin": true}, "name": "Valid", "description": "d"}',
    status: 400,
    code: "bad_request",
    message: /^body: is not valid JSON$/,
  },
  {
    name: "provider body sent as text/plain",
    method: "POST",
    path: providers,
    body: () => JSON.stringify(validProvider),
    headers: { "content-type": "text/plain" },
    status: 400,
    code: "bad_request",
    message: /^body: Content-Type must be application\/json$/,
  },
  {
    name: "provider body of an unknown media type",
    method: "POST",
    path: providers,
    body: () => "<provider/>",
    headers: { "content-type": "application/xml" },
    status: 400,
    code: "bad_request",
    message: /^body: unsupported Content-Type$/,
  },
  {
    name: "provider body sent as a form",
    method: "POST",
    path: providers,
    body: () => "name=Valid+name&description=valid",
    headers: form,
    status: 400,
    code: "bad_request",
    message: /^body: Content-Type must be application\/json$/,
  },
  {
    name: "provider body over the size limit",
    method: "POST",
    path: providers,
    body: () => ({ name: "Valid", description: long(BODY_LIMIT) }),
    status: 413,
    code: "payload_too_large",
    message: new RegExp(`^body: must be at most ${BODY_LIMIT} bytes$`),
  },
  {
    name: "provider id malformed",
    method: "GET",
    path: () => "/v1/providers/12345",
    status: 404,
    code: "not_found",
    message: /^Provider not found$/,
  },
  {
    name: "provider id unknown on delete",
    method: "DELETE",
    path: () => "/v1/providers/00000000-0000-4000-8000-000000000000",
    status: 404,
    code: "not_found",
    message: /^Provider not found$/,
  },
  // useGrant: clients
  {
    name: "client name too short",
    method: "POST",
    path: clients,
    body: () => ({ name: "ab", audience: "aud" }),
    status: 400,
    code: "bad_request",
    message: /^name: Name must be at least 3 characters long$/,
  },
  {
    name: "client audience too short",
    method: "POST",
    path: clients,
    body: () => ({ name: "Valid", audience: "ab" }),
    status: 400,
    code: "bad_request",
    message: /^audience: Audience must be at least 3 characters long$/,
  },
  {
    name: "client audience too long",
    method: "POST",
    path: clients,
    body: () => ({ name: "Valid", audience: long(101) }),
    status: 400,
    code: "bad_request",
    message: /^audience: Audience must be less than 100 characters long$/,
  },
  {
    name: "client audience an array",
    method: "POST",
    path: clients,
    body: () => ({ name: "Valid", audience: ["a", "b"] }),
    status: 400,
    code: "bad_request",
    message: /^audience: Invalid input: expected string, received array$/,
  },
  {
    name: "client with a chosen subject",
    method: "POST",
    path: clients,
    body: () => ({ name: "Valid", audience: "aud", subject: "me" }),
    status: 400,
    code: "bad_request",
    message: /^subject: unknown field$/,
  },
  {
    name: "client with a chosen secret",
    method: "POST",
    path: clients,
    body: () => ({ name: "Valid", audience: "aud", clientSecret: "s" }),
    status: 400,
    code: "bad_request",
    message: /^clientSecret: unknown field$/,
  },
  {
    name: "client under a malformed provider id",
    method: "POST",
    path: () => "/v1/providers/nope/clients",
    body: () => ({ name: "Valid", audience: "aud" }),
    status: 404,
    code: "not_found",
    message: /^Provider not found$/,
  },
  {
    name: "client id malformed",
    method: "GET",
    path: (f) => `${clients(f)}/nope`,
    status: 404,
    code: "not_found",
    message: /^Client not found$/,
  },
  // useGrant: tokens
  {
    name: "token expiresIn zero",
    method: "POST",
    path: tokens,
    body: () => ({ expiresIn: 0 }),
    status: 400,
    code: "bad_request",
    message: /^expiresIn: expiresIn must be at least 1 second$/,
  },
  {
    name: "token expiresIn over 48 hours",
    method: "POST",
    path: tokens,
    body: () => ({ expiresIn: 172_801 }),
    status: 400,
    code: "bad_request",
    message: /^expiresIn: expiresIn cannot be more than 48 hours/,
  },
  {
    name: "token expiresIn a string",
    method: "POST",
    path: tokens,
    body: () => ({ expiresIn: "3600" }),
    status: 400,
    code: "bad_request",
    message: /^expiresIn: Invalid input: expected number, received string$/,
  },
  {
    name: "token expiresIn fractional",
    method: "POST",
    path: tokens,
    body: () => ({ expiresIn: 1.5 }),
    status: 400,
    code: "bad_request",
    message: /^expiresIn: expiresIn must be a whole number of seconds$/,
  },
  {
    name: "token useJwtType not a boolean",
    method: "POST",
    path: tokens,
    body: () => ({ useJwtType: "yes" }),
    status: 400,
    code: "bad_request",
    message: /^useJwtType: /,
  },
  {
    name: "token audienceAsArray not a boolean",
    method: "POST",
    path: tokens,
    body: () => ({ audienceAsArray: 1 }),
    status: 400,
    code: "bad_request",
    message: /^audienceAsArray: /,
  },
  {
    name: "token unknown field",
    method: "POST",
    path: tokens,
    body: () => ({ scope: "admin" }),
    status: 400,
    code: "bad_request",
    message: /^scope: unknown field$/,
  },
  {
    name: "token for a malformed client id",
    method: "POST",
    path: (f) => `${clients(f)}/nope/tokens`,
    status: 404,
    code: "not_found",
    message: /^Client not found$/,
  },
  // useGrant: domains and keys
  {
    name: "domain not a domain name",
    method: "POST",
    path: domains,
    body: () => ({ domain: "not a domain" }),
    status: 400,
    code: "bad_request",
    message: /^domain: Please enter a valid domain name\.$/,
  },
  {
    name: "domain starting with www",
    method: "POST",
    path: domains,
    body: () => ({ domain: "www.example.com" }),
    status: 400,
    code: "bad_request",
    message: /^domain: Domain name cannot start with www\.$/,
  },
  {
    name: "domain with a scheme",
    method: "POST",
    path: domains,
    body: () => ({ domain: "https://example.com" }),
    status: 400,
    code: "bad_request",
    message: /^domain: Please enter a valid domain name\.$/,
  },
  {
    name: "domain missing",
    method: "POST",
    path: domains,
    body: () => ({}),
    status: 400,
    code: "bad_request",
    message: /^domain: Please enter a domain name\.$/,
  },
  {
    name: "domain too long",
    method: "POST",
    path: domains,
    body: () => ({ domain: `${[1, 2, 3, 4].map(() => long(63)).join(".")}.com` }),
    status: 400,
    code: "bad_request",
    message: /^domain: Domain name must be less than 255 characters long\.$/,
  },
  {
    name: "domain unknown field",
    method: "POST",
    path: domains,
    body: () => ({ domain: "ok.example.com", verified: true }),
    status: 400,
    code: "bad_request",
    message: /^verified: unknown field$/,
  },
  {
    name: "domain id malformed on verify",
    method: "POST",
    path: (f) => `${domains(f)}/nope/verify`,
    status: 404,
    code: "not_found",
    message: /^Domain not found$/,
  },
  {
    name: "key rotation to an unsupported algorithm",
    method: "POST",
    path: (f) => `/v1/providers/${f.providerId}/keys/rotate`,
    body: () => ({ algorithm: "RS512" }),
    status: 400,
    code: "bad_request",
    message: /^algorithm: /,
  },
  {
    name: "key rotation with an unknown field",
    method: "POST",
    path: (f) => `/v1/providers/${f.providerId}/keys/rotate`,
    body: () => ({ kid: "mine" }),
    status: 400,
    code: "bad_request",
    message: /^kid: unknown field$/,
  },
  // Auth0: create
  {
    name: "grant client_id missing",
    method: "POST",
    path: grants,
    body: () => ({ audience: "https://x.test" }),
    status: 400,
    code: "invalid_body",
    message: /^client_id: is required$/,
  },
  {
    name: "grant client_id empty",
    method: "POST",
    path: grants,
    body: () => ({ client_id: "", audience: "https://x.test" }),
    status: 400,
    code: "invalid_body",
    message: /^client_id: client_id must not be empty$/,
  },
  {
    name: "grant audience missing",
    method: "POST",
    path: grants,
    body: (f) => ({ client_id: f.clientId }),
    status: 400,
    code: "invalid_body",
    message: /^audience: is required$/,
  },
  {
    name: "grant scope not an array",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), scope: "read" }),
    status: 400,
    code: "invalid_body",
    message: /^scope: Invalid input: expected array, received string$/,
  },
  {
    name: "grant scope item empty",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), scope: [""] }),
    status: 400,
    code: "invalid_body",
    message: /^scope\[0\]: a scope must not be empty$/,
  },
  {
    name: "grant scope item over 280 characters",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), scope: ["a", "b", long(281)] }),
    status: 400,
    code: "invalid_body",
    message: /^scope\[2\]: a scope must be at most 280 characters$/,
  },
  {
    name: "grant organization_usage not in the enum",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), organization_usage: "sometimes" }),
    status: 400,
    code: "invalid_body",
    message: /^organization_usage: /,
  },
  {
    name: "grant subject_type not in the enum",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), subject_type: "robot" }),
    status: 400,
    code: "invalid_body",
    message: /^subject_type: /,
  },
  {
    name: "grant allow_any_organization a string",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), allow_any_organization: "true" }),
    status: 400,
    code: "invalid_body",
    message: /^allow_any_organization: /,
  },
  {
    name: "grant authorization_details_types item empty",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), authorization_details_types: [""] }),
    status: 400,
    code: "invalid_body",
    message: /^authorization_details_types\[0\]: /,
  },
  {
    name: "grant with camelCase keys",
    method: "POST",
    path: grants,
    body: (f) => ({ clientId: f.clientId, audience: "https://x.test" }),
    status: 400,
    code: "invalid_body",
    message: /client_id: is required; clientId: unknown field|clientId: unknown field/,
  },
  {
    name: "grant allow_all_scopes with scopes",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), allow_all_scopes: true, scope: ["a"] }),
    status: 400,
    code: "invalid_body",
    message: /^scope: `scope` must be empty when `allow_all_scopes` is true$/,
  },
  {
    name: "grant default_for (unsupported)",
    method: "POST",
    path: grants,
    body: () => ({ audience: "https://x.test", default_for: "third_party_clients" }),
    status: 400,
    code: "invalid_body",
    message: /default_for: unknown field/,
  },
  {
    name: "grant for an unknown client",
    method: "POST",
    path: grants,
    body: () => ({ client_id: "00000000-0000-4000-8000-000000000000", audience: "https://x.test" }),
    status: 404,
    code: "inexistent_client",
    message: /^The client does not exist$/,
  },
  {
    name: "grant duplicate",
    method: "POST",
    path: grants,
    body: (f) => ({ client_id: f.clientId, audience: "https://api.example.test" }),
    status: 409,
    code: "conflict",
    message: /^A client grant already exists between .+ and https:\/\/api\.example\.test$/,
  },
  {
    name: "grant body not JSON",
    method: "POST",
    path: grants,
    body: () => "{client_id:",
    status: 400,
    code: "invalid_body",
    message: /^body: is not valid JSON$/,
  },
  {
    name: "grant body over the size limit",
    method: "POST",
    path: grants,
    body: (f) => ({ ...validGrant(f), scope: Array.from({ length: 40 }, () => long(200)) }),
    status: 413,
    code: "payload_too_large",
    message: /^body: must be at most/,
  },
  // Auth0: update, get, delete
  {
    name: "grant patch empty",
    method: "PATCH",
    path: grant,
    body: () => ({}),
    status: 400,
    code: "invalid_body",
    message: /^body: the body must set at least one property$/,
  },
  {
    name: "grant patch client_id",
    method: "PATCH",
    path: grant,
    body: () => ({ client_id: "x" }),
    status: 400,
    code: "invalid_body",
    message: /^client_id: unknown field$/,
  },
  {
    name: "grant patch subject_type",
    method: "PATCH",
    path: grant,
    body: () => ({ subject_type: "user" }),
    status: 400,
    code: "invalid_body",
    message: /^subject_type: unknown field$/,
  },
  {
    name: "grant patch scope a string",
    method: "PATCH",
    path: grant,
    body: () => ({ scope: "read" }),
    status: 400,
    code: "invalid_body",
    message: /^scope: /,
  },
  {
    name: "grant patch allow_all_scopes over kept scopes",
    method: "PATCH",
    path: grant,
    body: () => ({ allow_all_scopes: true }),
    status: 400,
    code: "invalid_body",
    message: /^scope: `scope` must be empty/,
  },
  {
    name: "grant id malformed on get",
    method: "GET",
    path: () => "/api/v2/client-grants/cgr_short",
    status: 400,
    code: "invalid_uri",
    message: /^id: must be cgr_ followed by 16 letters or digits$/,
  },
  {
    name: "grant id malformed on delete",
    method: "DELETE",
    path: () => "/api/v2/client-grants/cgr_0123456789abcdefg",
    status: 400,
    code: "invalid_uri",
    message: /^id: /,
  },
  {
    name: "grant id unknown on patch",
    method: "PATCH",
    path: () => "/api/v2/client-grants/cgr_AAAAAAAAAAAAAAAA",
    body: () => ({ scope: [] }),
    status: 404,
    code: "inexistent_client_grant",
    message: /^The client grant does not exist$/,
  },
  // Auth0: list query
  {
    name: "list per_page zero",
    method: "GET",
    path: () => `${grants()}?per_page=0`,
    status: 400,
    code: "invalid_query_string",
    message: /^per_page: /,
  },
  {
    name: "list per_page over 100",
    method: "GET",
    path: () => `${grants()}?per_page=101`,
    status: 400,
    code: "invalid_query_string",
    message: /^per_page: /,
  },
  {
    name: "list page negative",
    method: "GET",
    path: () => `${grants()}?page=-1`,
    status: 400,
    code: "invalid_query_string",
    message: /^page: /,
  },
  {
    name: "list take not a number",
    method: "GET",
    path: () => `${grants()}?take=abc`,
    status: 400,
    code: "invalid_query_string",
    message: /^take: /,
  },
  {
    name: "list take fractional",
    method: "GET",
    path: () => `${grants()}?take=2.5`,
    status: 400,
    code: "invalid_query_string",
    message: /^take: /,
  },
  {
    name: "list include_totals not a boolean",
    method: "GET",
    path: () => `${grants()}?include_totals=maybe`,
    status: 400,
    code: "invalid_query_string",
    message: /^include_totals: /,
  },
  {
    name: "list subject_type unknown",
    method: "GET",
    path: () => `${grants()}?subject_type=robot`,
    status: 400,
    code: "invalid_query_string",
    message: /^subject_type: /,
  },
  {
    name: "list unknown parameter",
    method: "GET",
    path: () => `${grants()}?fields=id`,
    status: 400,
    code: "invalid_query_string",
    message: /^fields: unknown field$/,
  },
  {
    name: "list audience repeated",
    method: "GET",
    path: () => `${grants()}?audience=a&audience=b`,
    status: 400,
    code: "invalid_query_string",
    message: /^audience: /,
  },
  {
    name: "list forged cursor",
    method: "GET",
    path: () => `${grants()}?from=Zm9yZ2Vk`,
    status: 400,
    code: "invalid_query_string",
    message: /^from: is not a cursor this server issued$/,
  },
  {
    name: "list take with page",
    method: "GET",
    path: () => `${grants()}?take=10&page=0`,
    status: 400,
    code: "invalid_query_string",
    message: /^from, take: /,
  },
  // Authentication
  {
    name: "management call without a token",
    method: "GET",
    path: providers,
    token: null,
    status: 401,
    code: "unauthorized",
    message: /^Authorization: missing bearer token$/,
  },
  {
    name: "management call with a wrong token",
    method: "POST",
    path: providers,
    body: () => validProvider,
    token: "uga_wrong",
    status: 401,
    code: "unauthorized",
    message: /^Authorization: invalid bearer token$/,
  },
  {
    name: "management call with Basic credentials",
    method: "GET",
    path: providers,
    token: null,
    headers: { authorization: "Basic YWRtaW46YWRtaW4=" },
    status: 401,
    code: "unauthorized",
    message: /^Authorization: missing bearer token$/,
  },
  {
    name: "Auth0 call without a token",
    method: "POST",
    path: grants,
    body: validGrant,
    token: null,
    status: 401,
    code: "invalid_token",
    message: /^Authorization: missing bearer token$/,
  },
  {
    name: "Auth0 call with an empty bearer",
    method: "GET",
    path: grants,
    token: null,
    headers: { authorization: "Bearer " },
    status: 401,
    code: "invalid_token",
    message: /^Authorization: missing bearer token$/,
  },
  // OAuth token endpoint (no admin token there)
  {
    name: "token request without grant_type",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f).replace("grant_type=client_credentials&", ""),
    status: 400,
    code: "invalid_request",
    message: /^grant_type: is required$/,
  },
  {
    name: "token request with an unsupported grant",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { grant_type: "password" }),
    status: 400,
    code: "unsupported_grant_type",
    message: /^grant_type: /,
  },
  {
    name: "token request without audience",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { audience: "" }),
    status: 400,
    code: "invalid_request",
    message: /^audience: is required$/,
  },
  {
    name: "token request with a repeated parameter",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => `${cc(f)}&scope=a&scope=b`,
    status: 400,
    code: "invalid_request",
    message: /^scope: must not be repeated$/,
  },
  {
    name: "token request JSON array",
    method: "POST",
    path: oauth,
    token: null,
    body: () => ["client_credentials"],
    status: 400,
    code: "invalid_request",
    message: /^body: /,
  },
  {
    name: "token request JSON number value",
    method: "POST",
    path: oauth,
    token: null,
    body: (f) => ({
      grant_type: "client_credentials",
      client_id: f.clientId,
      client_secret: f.clientSecret,
      audience: 7,
    }),
    status: 400,
    code: "invalid_request",
    message: /^audience: must be a string$/,
  },
  {
    name: "token request not JSON",
    method: "POST",
    path: oauth,
    token: null,
    body: () => "{grant_type",
    status: 400,
    code: "invalid_request",
    message: /^body: is not valid JSON$/,
  },
  {
    name: "token request with a wrong secret",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { client_secret: "wrong" }),
    status: 401,
    code: "invalid_client",
    message: /^Client authentication failed$/,
  },
  {
    name: "token request without credentials",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: () => "grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.test",
    status: 401,
    code: "invalid_client",
    message: /^Client authentication failed$/,
  },
  {
    name: "token request with a malformed scope",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { scope: 'read"quoted' }),
    status: 400,
    code: "invalid_scope",
    message: /^scope: /,
  },
  {
    name: "token request for an ungranted scope",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { scope: "admin" }),
    status: 400,
    code: "invalid_scope",
    message: /^scope: not granted: admin$/,
  },
  {
    name: "token request for an ungranted audience",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { audience: "https://other.test" }),
    status: 400,
    code: "unauthorized_client",
    message: /^audience: /,
  },
  {
    name: "token request over the size limit",
    method: "POST",
    path: oauth,
    token: null,
    headers: form,
    body: (f) => cc(f, { scope: long(BODY_LIMIT) }),
    status: 413,
    code: "invalid_request",
    message: /^body: must be at most/,
  },
];

function codeOf(body: unknown): string | undefined {
  const record = body as Record<string, unknown>;
  return (record.errorCode ?? record.code ?? record.error) as string | undefined;
}

function messageOf(body: unknown): string | undefined {
  const record = body as Record<string, unknown>;
  return (record.error_description ?? record.message) as string | undefined;
}

describe("malformed requests", () => {
  let server: TestServer;
  const fixtures = {} as Fixtures;

  beforeAll(async () => {
    server = await startTestServer({ bodyLimitBytes: BODY_LIMIT });
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    Object.assign(fixtures, {
      providerId: provider.id,
      clientId: client.id,
      clientSecret: client.clientSecret,
    });
    const created = expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience: "https://api.example.test", scope: ["read"] },
      }),
      201,
    );
    fixtures.grantId = (created.body as { id: string }).id;
    const domain = expectStatus(
      await call(server, "POST", `/v1/providers/${provider.id}/domains`, {
        body: { domain: "pending.example.com" },
      }),
      201,
    );
    fixtures.domainId = (domain.body as { id: string }).id;
  });
  afterAll(() => server.close());

  test("the table holds at least 60 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  test.each(cases)("$name → $status $code, naming what is wrong, writing nothing", async (row) => {
    const before = databaseSnapshot(server.dataDir);
    const body = row.body?.(fixtures);
    const result = await call(server, row.method, row.path(fixtures), {
      ...(body === undefined ? {} : { body }),
      ...(row.token === undefined ? {} : { token: row.token }),
      ...(row.headers ? { headers: row.headers } : {}),
    });
    expect(result.status, result.text).toBe(row.status);
    expect(codeOf(result.body), result.text).toBe(row.code);
    expect(messageOf(result.body), result.text).toMatch(row.message);
    // Never a stack trace or a zod dump on the wire.
    expect(result.text).not.toMatch(/\bat \S+ \(|ZodError|"issues"/);
    expect(databaseSnapshot(server.dataDir)).toBe(before);
  });
});
