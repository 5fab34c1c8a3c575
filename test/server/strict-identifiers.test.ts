import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_IDENTIFIER_LENGTH } from "../../sdk/schemas/common";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

let server: TestServer;
let clientId: string;
let clientSecret: string;
let providerId: string;

beforeAll(async () => {
  server = await startTestServer();
  const provider = await createProvider(server);
  providerId = provider.id;
  const client = await createClient(server, provider.id);
  clientId = client.id;
  clientSecret = client.clientSecret;
});
afterAll(() => server.close());

/** A JSON body written by hand, so it can hold what JSON.stringify would never produce. */
const grantBody = (audienceJson: string) =>
  `{"client_id":${JSON.stringify(clientId)},"audience":${audienceJson}}`;

describe("identifiers that mean one thing", () => {
  let pairs = 0;
  it.each([
    ["a lone high surrogate", '"https://api.example.com/\\ud800"', "lone surrogate"],
    ["a lone low surrogate", '"https://api.example.com/\\udc00x"', "lone surrogate"],
    ["a NUL", '"https://api.example.com/\\u0000"', "U+0000"],
    ["a line feed", '"https://api.example.com/\\n"', "U+000A"],
    ["a C1 control", '"https://api.example.com/\\u0085"', "U+0085"],
    [
      "too many characters",
      JSON.stringify("a".repeat(MAX_IDENTIFIER_LENGTH + 1)),
      `${MAX_IDENTIFIER_LENGTH}`,
    ],
  ])(
    "rejects an audience holding %s with 400 naming the field",
    async (_case, audience, detail) => {
      const result = await call(server, "POST", "/api/v2/client-grants", {
        body: grantBody(audience),
      });
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ message: expect.stringContaining("audience") });
      expect((result.body as { message: string }).message).toContain(detail);
      expect(result.text.length).toBeLessThan(1000);
    },
  );

  it("rejects a name holding a lone surrogate on the useGrant routes, naming the field", async () => {
    const result = await call(server, "POST", "/v1/providers", {
      body: '{"name":"issuer\\ud83d","description":"d"}',
    });
    expect(result.status).toBe(400);
    expect((result.body as { message: string }).message).toMatch(/name.*lone surrogate/);
  });

  it("rejects a body that is not valid UTF-8 instead of storing U+FFFD", async () => {
    const response = await fetch(`${server.url}/api/v2/client-grants`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: Buffer.concat([
        Buffer.from(`{"client_id":"${clientId}","audience":"https://api.example.com/`),
        Buffer.from([0xff]),
        Buffer.from('"}'),
      ]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("UTF-8");
  });

  // Pairs that a lossy layer (U+FFFD replacement, NUL truncation, case folding, normalization)
  // could merge: each pair must end as two grants, or the second must be refused; never a
  // conflict with the first, and never one grant answering for both.
  it.each([
    ["https://api.example.com/\\ud800", "https://api.example.com/\\udc00"],
    ["https://api.example.com/\\ud800", "https://api.example.com/\\ufffd"],
    ["https://api.example.com/a\\u0000b", "https://api.example.com/a"],
    ["https://api.example.com/caf\\u00e9", "https://api.example.com/cafe\\u0301"],
    ["https://API.example.com/x", "https://api.example.com/x"],
    ["https://api.example.com/x ", "https://api.example.com/x"],
  ])("never treats audiences %s and %s as one", async (rawFirst, rawSecond) => {
    // A host of its own per case, so no case meets another's grants.
    pairs += 1;
    const first = rawFirst.replace(/api\.example/i, (host) => `${host}${pairs}`);
    const second = rawSecond.replace(/api\.example/i, (host) => `${host}${pairs}`);
    const a = await call(server, "POST", "/api/v2/client-grants", {
      body: grantBody(`"${first}"`),
    });
    const b = await call(server, "POST", "/api/v2/client-grants", {
      body: grantBody(`"${second}"`),
    });
    for (const result of [a, b]) expect([201, 400]).toContain(result.status);
    if (a.status === 201 && b.status === 201) {
      expect((a.body as { id: string }).id).not.toBe((b.body as { id: string }).id);
      expect((a.body as { audience: string }).audience).not.toBe(
        (b.body as { audience: string }).audience,
      );
    }
    // A token for an audience is granted only by the grant that names exactly that string.
    for (const [result, audienceJson] of [
      [a, first],
      [b, second],
    ] as const) {
      const token = await call(server, "POST", `/p/${providerId}/oauth/token`, {
        token: null,
        body: `{"grant_type":"client_credentials","client_id":"${clientId}","client_secret":"${clientSecret}","audience":"${audienceJson}"}`,
      });
      expect(token.status).toBe(result.status === 201 ? 200 : 400);
    }
  });
});

describe("duplicate keys in a JSON body", () => {
  it.each([
    [
      "POST",
      "/api/v2/client-grants",
      () => `{"client_id":"${clientId}","audience":"a1","audience":"a2"}`,
      "audience",
    ],
    ["POST", "/v1/providers", () => '{"name":"one","name":"two","description":"d"}', "name"],
    ["POST", "/v1/providers", () => '{"name":"one","description":"d","\\u006eame":"two"}', "name"],
  ])("%s %s is refused with 400 naming the key", async (method, path, body, key) => {
    const result = await call(server, method, path, { body: body() });
    expect(result.status).toBe(400);
    expect((result.body as { message: string }).message).toContain(`body.${key}`);
  });

  it("is refused on the token endpoint too, in the OAuth error shape", async () => {
    const result = await call(server, "POST", `/p/${providerId}/oauth/token`, {
      token: null,
      body: `{"grant_type":"client_credentials","client_id":"${clientId}","client_secret":"${clientSecret}","audience":"x","audience":"y"}`,
    });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      error: "invalid_request",
      error_description: expect.stringContaining("body.audience"),
    });
  });

  it("accepts the same key in different objects", async () => {
    const result = await call(server, "POST", "/v1/providers", {
      body: '{"name":"nested-ok","description":"d"}',
    });
    expectStatus(result, 201);
  });
});

describe("percent-encoding in a form-encoded token request", () => {
  const post = (body: string) =>
    call(server, "POST", `/p/${providerId}/oauth/token`, {
      token: null,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  const credentials = () => `client_id=${clientId}&client_secret=${clientSecret}`;

  it.each([
    ["a byte that is not UTF-8 (%FF)", "audience=https%3A%2F%2Fapi.example.com%2F%FF", "audience"],
    ["a truncated UTF-8 sequence (%C3)", "audience=caf%C3", "audience"],
    ["an encoded lone surrogate (%ED%A0%80)", "audience=x%ED%A0%80", "audience"],
    ["a % without two hex digits (%ZZ)", "audience=x%ZZ", "audience"],
    ["a malformed parameter name", "aud%FFience=x", "aud%FFience"],
  ])(
    "refuses %s with 400 invalid_request naming the parameter, not as U+FFFD",
    async (_case, parameter, name) => {
      const result = await post(`grant_type=client_credentials&${credentials()}&${parameter}`);
      expect(result.status).toBe(400);
      expect(result.body).toEqual({
        error: "invalid_request",
        error_description: expect.stringMatching(new RegExp(`^${name}: `)),
      });
      expect(result.text).not.toContain(clientSecret);
    },
  );

  it("never echoes a malformed value, which may be a secret", async () => {
    const result = await post(
      `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}%FF&audience=a`,
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      error_description: expect.stringMatching(/^client_secret: /),
    });
    expect(result.text).not.toContain(clientSecret);
  });

  it("still decodes well-formed escapes and + as a space", async () => {
    const audience = "https://api.example.com/é x";
    const grant = await call(server, "POST", "/api/v2/client-grants", {
      body: { client_id: clientId, audience },
    });
    expectStatus(grant, 201);
    const result = await post(
      `grant_type=client_credentials&${credentials()}&audience=https%3A%2F%2Fapi.example.com%2F%C3%A9+x`,
    );
    expectStatus(result, 200);
  });
});
