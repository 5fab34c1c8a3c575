import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ManagementError } from "auth0";
import { SignJWT, createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth0ClientSchema } from "../../sdk/schemas/auth0-client";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { managementClient, TENANT_DOMAIN } from "./_auth0";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

const TENANT = `https://${TENANT_DOMAIN}`;
const MANAGEMENT_AUDIENCE = `${TENANT}/api/v2/`;
const API = "https://api.billing.test";
const EVERY_MANAGEMENT_SCOPE = [
  "read:clients",
  "create:clients",
  "update:clients",
  "delete:clients",
  "read:client_grants",
  "create:client_grants",
  "update:client_grants",
  "delete:client_grants",
];

describe("/api/v2/clients: Auth0 applications", () => {
  let server: TestServer;

  beforeAll(async () => {
    // The server's public URL is the tenant's (as behind a TLS proxy), so the audience and
    // issuer the official SDK expects are the server's own; requests reach it on loopback.
    server = await startTestServer({ publicUrl: TENANT });
  });
  afterAll(() => server.close());

  async function createApplication(body: Record<string, unknown>) {
    const created = expectStatus(await call(server, "POST", "/api/v2/clients", { body }), 201);
    return auth0ClientSchema.parse(created.body);
  }

  async function grant(clientId: string, audience: string, scope: string[]): Promise<string> {
    const created = expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: clientId, audience, scope },
      }),
      201,
    );
    return (created.body as { id: string }).id;
  }

  async function tokenRequest(form: Record<string, string>) {
    const response = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", ...form }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function managementJwt(scope: string[]): Promise<string> {
    const app = await createApplication({ name: `scoped ${scope.join(" ")}` });
    await grant(app.client_id, MANAGEMENT_AUDIENCE, scope);
    const issued = await tokenRequest({
      client_id: app.client_id,
      client_secret: app.client_secret!,
      audience: MANAGEMENT_AUDIENCE,
    });
    expect(issued.status).toBe(200);
    return issued.body.access_token as string;
  }

  it("lets the official auth0 SDK, configured with domain, client id and secret, manage an application and a client grant with a token it fetched itself", async () => {
    const deployer = await createApplication({
      name: "pulumi deployer",
      app_type: "non_interactive",
      grant_types: ["client_credentials"],
    });
    await grant(deployer.client_id, MANAGEMENT_AUDIENCE, EVERY_MANAGEMENT_SCOPE);
    let tokenRequests = 0;
    const auth0 = managementClient(server, {
      credentials: { clientId: deployer.client_id, clientSecret: deployer.client_secret! },
      onResponse: (response) => {
        if (new URL(response.url).pathname === "/oauth/token") tokenRequests += 1;
      },
    });

    const created = await auth0.clients.create({
      name: "billing worker",
      description: "Sends the invoices",
      app_type: "non_interactive",
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "client_secret_basic",
      jwt_configuration: { lifetime_in_seconds: 3600 },
      client_metadata: { team: "billing" },
    });
    const clientId = created.client_id!;
    const firstSecret = created.client_secret!;
    expect(created).toMatchObject({
      name: "billing worker",
      description: "Sends the invoices",
      app_type: "non_interactive",
      grant_types: ["client_credentials"],
      token_endpoint_auth_method: "client_secret_basic",
      jwt_configuration: { lifetime_in_seconds: 3600 },
      client_metadata: { team: "billing" },
      is_first_party: true,
    });
    expect(firstSecret.length).toBeGreaterThanOrEqual(32);

    const read = await auth0.clients.get(clientId);
    expect(read).toMatchObject({ client_id: clientId, name: "billing worker" });
    expect(read.client_secret).toBeUndefined();

    const updated = await auth0.clients.update(clientId, {
      description: "Sends and files the invoices",
      client_metadata: { team: "payments" },
    });
    expect(updated).toMatchObject({
      description: "Sends and files the invoices",
      client_metadata: { team: "payments" },
      name: "billing worker",
    });

    const listed = [];
    for await (const application of await auth0.clients.list({ app_type: "non_interactive" })) {
      listed.push(application.client_id);
    }
    expect(listed).toEqual(expect.arrayContaining([deployer.client_id, clientId]));

    const rotated = await auth0.clients.rotateSecret(clientId);
    const secret = rotated.client_secret!;
    expect(secret).not.toBe(firstSecret);

    const created_grant = await auth0.clientGrants.create({
      client_id: clientId,
      audience: API,
      scope: ["read:invoices"],
    });
    const grantId = created_grant.id!;
    expect((await auth0.clientGrants.get(grantId)).scope).toEqual(["read:invoices"]);
    const widened = await auth0.clientGrants.update(grantId, {
      scope: ["read:invoices", "write:invoices"],
    });
    expect(widened.scope).toEqual(["read:invoices", "write:invoices"]);

    // The application gets tokens at the tenant's issuer like any client, HTTP Basic as it
    // is registered, with the rotated secret only; they verify through the tenant's JWKS.
    const basic = (id: string, password: string) =>
      `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(password)}`).toString("base64")}`;
    const tokenAt = async (password: string) => {
      const response = await fetch(`${server.url}/oauth/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: basic(clientId, password),
        },
        body: new URLSearchParams({ grant_type: "client_credentials", audience: API }).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await tokenAt(firstSecret)).status).toBe(401);
    const issued = await tokenAt(secret);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ scope: "read:invoices write:invoices", expires_in: 86400 });
    // Found as a relying party finds it: the tenant's discovery document names the keys.
    const discovery = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string; token_endpoint: string };
    expect(discovery).toMatchObject({
      issuer: `${TENANT}/`,
      jwks_uri: `${TENANT}/.well-known/jwks.json`,
      token_endpoint: `${TENANT}/oauth/token`,
    });
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(issued.body.access_token as string, jwks, {
      issuer: `${TENANT}/`,
      audience: API,
    });
    expect(payload).toMatchObject({ sub: `${clientId}@clients`, client_id: clientId });

    await auth0.clientGrants.delete(grantId);
    await expect(auth0.clientGrants.get(grantId)).rejects.toMatchObject({ statusCode: 404 });
    await auth0.clients.delete(clientId);
    const gone = await auth0.clients.get(clientId).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ManagementError);
    expect(gone).toMatchObject({ statusCode: 404, body: { errorCode: "inexistent_client" } });
    expect((await tokenAt(secret)).status).toBe(401);

    // One token, fetched by the SDK itself, served every call.
    expect(tokenRequests).toBe(1);
    const logs = server.logs();
    for (const value of [deployer.client_secret!, firstSecret, secret]) {
      expect(logs).not.toContain(value);
    }
    expect(logs).not.toContain(issued.body.access_token as string);
  });

  it("follows every change to an application and its grant from the very next token request", async () => {
    const app = await createApplication({ name: "follower", grant_types: ["client_credentials"] });
    const grantId = await grant(app.client_id, API, ["read:invoices", "write:invoices"]);
    const ask = (secret: string) =>
      tokenRequest({ client_id: app.client_id, client_secret: secret, audience: API });
    // Twice each time: the second request may be answered from what the first one read.
    for (let round = 0; round < 2; round++) {
      expect((await ask(app.client_secret!)).body.scope).toBe("read:invoices write:invoices");
    }

    expectStatus(
      await call(server, "PATCH", `/api/v2/client-grants/${grantId}`, {
        body: { scope: ["read:invoices"] },
      }),
      200,
    );
    for (let round = 0; round < 2; round++) {
      expect((await ask(app.client_secret!)).body.scope).toBe("read:invoices");
    }

    const rotated = expectStatus(
      await call(server, "POST", `/api/v2/clients/${app.client_id}/rotate-secret`),
      200,
    );
    const secret = auth0ClientSchema.parse(rotated.body).client_secret!;
    expect((await ask(app.client_secret!)).status).toBe(401);
    for (let round = 0; round < 2; round++) expect((await ask(secret)).status).toBe(200);

    expectStatus(await call(server, "DELETE", `/api/v2/client-grants/${grantId}`), 204);
    expect(await ask(secret)).toMatchObject({
      status: 400,
      body: { error: "unauthorized_client" },
    });
    await grant(app.client_id, API, ["read:invoices"]);
    for (let round = 0; round < 2; round++) expect((await ask(secret)).status).toBe(200);
    expectStatus(await call(server, "DELETE", `/api/v2/clients/${app.client_id}`), 204);
    expect(await ask(secret)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
  });

  it("fills Auth0's defaults for what a create leaves out", async () => {
    const created = await createApplication({ name: "bare" });
    expect(created).toEqual({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      name: "bare",
      global: false,
      is_first_party: true,
      grant_types: ["authorization_code", "implicit", "refresh_token", "client_credentials"],
      token_endpoint_auth_method: "client_secret_post",
      jwt_configuration: { lifetime_in_seconds: 36000, secret_encoded: false },
      client_metadata: {},
    });
  });

  it("enforces read, create, update and delete:clients per endpoint for Management API JWTs", async () => {
    const target = await createApplication({ name: "target" });
    const reader = await managementJwt(["read:clients"]);
    const path = `/api/v2/clients/${target.client_id}`;
    expect((await call(server, "GET", path, { token: reader })).status).toBe(200);
    expect((await call(server, "GET", "/api/v2/clients", { token: reader })).status).toBe(200);
    const refusals = [
      { method: "POST", path: "/api/v2/clients", body: { name: "x" }, scope: "create:clients" },
      { method: "PATCH", path, body: { name: "y" }, scope: "update:clients" },
      {
        method: "POST",
        path: `${path}/rotate-secret`,
        body: undefined,
        scope: "update:clients, update:client_keys",
      },
      { method: "DELETE", path, body: undefined, scope: "delete:clients" },
    ];
    for (const refusal of refusals) {
      const answer = await call(server, refusal.method, refusal.path, {
        token: reader,
        body: refusal.body,
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        statusCode: 403,
        error: "Forbidden",
        message: `Insufficient scope; expected any of: ${refusal.scope}`,
        errorCode: "insufficient_scope",
      });
    }
    // Auth0 documents update:client_keys for a rotation; it is enough here too.
    const keyManager = await managementJwt(["update:client_keys"]);
    const rotated = await call(server, "POST", `${path}/rotate-secret`, { token: keyManager });
    expect(rotated.status).toBe(200);
    expect(
      (await call(server, "PATCH", path, { token: keyManager, body: { name: "z" } })).status,
    ).toBe(403);
    const deleter = await managementJwt(["delete:clients"]);
    expect((await call(server, "DELETE", path, { token: deleter })).status).toBe(204);
  });

  it.each([
    [{}, "name"],
    [{ name: "a<b>" }, "name"],
    [{ name: "x", app_type: "robot" }, "app_type"],
    [{ name: "x", grant_types: ["teleport"] }, "grant_types[0]"],
    [{ name: "x", token_endpoint_auth_method: "private_key_jwt" }, "token_endpoint_auth_method"],
    [
      { name: "x", jwt_configuration: { lifetime_in_seconds: 0 } },
      "jwt_configuration.lifetime_in_seconds",
    ],
    [{ name: "x", client_metadata: { team: 7 } }, "client_metadata.team"],
    [{ name: "x", callbacks: [] }, "callbacks"],
    [{ name: "x", description: "d".repeat(141) }, "description"],
  ])("answers a create with %j 400 invalid_body naming %s", async (body, field) => {
    const answer = await call(server, "POST", "/api/v2/clients", { body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      statusCode: 400,
      error: "Bad Request",
      errorCode: "invalid_body",
    });
    expect((answer.body as { message: string }).message).toContain(field);
  });

  it("answers an empty or unknown-field PATCH 400 naming the problem", async () => {
    const target = await createApplication({ name: "patched" });
    const path = `/api/v2/clients/${target.client_id}`;
    const empty = await call(server, "PATCH", path, { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ errorCode: "invalid_body" });
    const unknown = await call(server, "PATCH", path, { body: { client_id: "other" } });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { message: string }).message).toContain("client_id");
    const short = await call(server, "PATCH", path, { body: { client_secret: "short" } });
    expect(short.status).toBe(400);
    expect((short.body as { message: string }).message).toContain("client_secret");
  });

  it("answers 404 inexistent_client for an unknown id and for a client that is not the tenant's", async () => {
    const provider = await createProvider(server);
    const usegrant = await createClient(server, provider.id);
    for (const id of ["3f0c1b6e-5a52-4c55-9d37-5b1b2b7f6a10", usegrant.id, "not-an-id"]) {
      for (const [method, suffix] of [
        ["GET", ""],
        ["PATCH", ""],
        ["DELETE", ""],
        ["POST", "/rotate-secret"],
      ] as const) {
        const answer = await call(server, method, `/api/v2/clients/${id}${suffix}`, {
          body: method === "PATCH" ? { name: "n" } : undefined,
        });
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual({
          statusCode: 404,
          error: "Not Found",
          message: "The client does not exist",
          errorCode: "inexistent_client",
        });
      }
    }
  });

  it("lists with app_type, fields/include_fields and page/per_page/include_totals", async () => {
    const fresh = await startTestServer({ publicUrl: TENANT });
    try {
      // Reads never make the tenant: no keys, no applications, no provider yet.
      expect(await (await fetch(`${fresh.url}/.well-known/jwks.json`)).json()).toEqual({
        keys: [],
      });
      expect((await call(fresh, "GET", "/api/v2/clients")).body).toEqual([]);
      expect((await call(fresh, "GET", "/v1/providers")).body).toEqual([]);

      const make = async (body: Record<string, unknown>) =>
        auth0ClientSchema.parse(
          expectStatus(await call(fresh, "POST", "/api/v2/clients", { body }), 201).body,
        );
      const m2m = [
        await make({ name: "one", app_type: "non_interactive" }),
        await make({ name: "two", app_type: "non_interactive" }),
        await make({ name: "three", app_type: "non_interactive" }),
      ];
      await make({ name: "web", app_type: "regular_web" });

      const all = await call(fresh, "GET", "/api/v2/clients");
      expect((all.body as unknown[]).length).toBe(4);

      const filtered = await call(
        fresh,
        "GET",
        "/api/v2/clients?app_type=non_interactive&fields=client_id,name",
      );
      expect(filtered.body).toEqual(m2m.map((c) => ({ client_id: c.client_id, name: c.name })));

      const excluded = await call(
        fresh,
        "GET",
        "/api/v2/clients?app_type=regular_web&fields=client_metadata,jwt_configuration,grant_types&include_fields=false",
      );
      expect(Object.keys((excluded.body as object[])[0]!).sort()).toEqual([
        "app_type",
        "client_id",
        "global",
        "is_first_party",
        "name",
        "token_endpoint_auth_method",
      ]);

      const page = await call(
        fresh,
        "GET",
        "/api/v2/clients?app_type=non_interactive&page=1&per_page=2&include_totals=true&fields=name",
      );
      expect(page.body).toEqual({ start: 2, limit: 2, total: 3, clients: [{ name: "three" }] });

      const bare = await call(fresh, "GET", "/api/v2/clients?page=0&per_page=1&fields=name");
      expect(bare.body).toEqual([{ name: "one" }]);

      const bad = await call(fresh, "GET", "/api/v2/clients?app_type=robot");
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ errorCode: "invalid_query_string" });
      expect((bad.body as { message: string }).message).toContain("app_type");
      const tooMany = await call(fresh, "GET", "/api/v2/clients?per_page=101");
      expect((tooMany.body as { message: string }).message).toContain("per_page");
    } finally {
      await fresh.close();
    }
  });

  it("registers private_key_jwt credentials from PEM, shows them by id, and refuses a secret rotation", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
    const created = await createApplication({
      name: "signed",
      app_type: "non_interactive",
      grant_types: ["client_credentials"],
      client_authentication_methods: {
        private_key_jwt: {
          credentials: [{ credential_type: "public_key", pem, alg: "RS256", kid: "key-1" }],
        },
      },
    });
    expect(created.client_secret).toBeUndefined();
    expect(created.token_endpoint_auth_method).toBeUndefined();
    expect(created.client_authentication_methods).toEqual({
      private_key_jwt: { credentials: [{ id: "key-1" }] },
    });
    // The registered key signs client assertions the tenant's token endpoint accepts.
    await grant(created.client_id, API, ["read:invoices"]);
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", kid: "key-1" })
      .setIssuer(created.client_id)
      .setSubject(created.client_id)
      .setAudience(`${TENANT}/oauth/token`)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti(randomUUID())
      .sign(privateKey);
    const issued = await tokenRequest({
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      audience: API,
    });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ scope: "read:invoices" });

    const rotation = await call(
      server,
      "POST",
      `/api/v2/clients/${created.client_id}/rotate-secret`,
    );
    expect(rotation.status).toBe(400);
    expect(rotation.body).toMatchObject({ errorCode: "operation_not_supported" });

    const unknownCredential = await call(server, "PATCH", `/api/v2/clients/${created.client_id}`, {
      body: {
        client_authentication_methods: { private_key_jwt: { credentials: [{ id: "nope" }] } },
      },
    });
    expect(unknownCredential.status).toBe(400);
    expect((unknownCredential.body as { message: string }).message).toContain(
      "client_authentication_methods.private_key_jwt.credentials[0].id",
    );

    const back = expectStatus(
      await call(server, "PATCH", `/api/v2/clients/${created.client_id}`, {
        body: { token_endpoint_auth_method: "client_secret_post" },
      }),
      200,
    );
    expect(back.body).toMatchObject({ token_endpoint_auth_method: "client_secret_post" });
    expect(back.body as object).not.toHaveProperty("client_authentication_methods");

    const notPem = await call(server, "POST", "/api/v2/clients", {
      body: {
        name: "broken",
        client_authentication_methods: {
          private_key_jwt: {
            credentials: [
              {
                credential_type: "public_key",
                pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
              },
            ],
          },
        },
      },
    });
    expect(notPem.status).toBe(400);
    expect((notPem.body as { message: string }).message).toContain(
      "client_authentication_methods.private_key_jwt.credentials[0].pem",
    );
  });
});

describe("the tenant's signing key", () => {
  it("survives a restart: a Management API token issued before is accepted after, and the JWKS is the same", async () => {
    // Our own data dir: a test server removes only the one it made.
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-tenant-"));
    const first = await startTestServer({ publicUrl: TENANT, dataDir });
    let second: TestServer | undefined;
    try {
      const app = auth0ClientSchema.parse(
        expectStatus(
          await call(first, "POST", "/api/v2/clients", { body: { name: "restart" } }),
          201,
        ).body,
      );
      expectStatus(
        await call(first, "POST", "/api/v2/client-grants", {
          body: {
            client_id: app.client_id,
            audience: MANAGEMENT_AUDIENCE,
            scope: ["read:clients"],
          },
        }),
        201,
      );
      const response = await fetch(`${first.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: app.client_id,
          client_secret: app.client_secret!,
          audience: MANAGEMENT_AUDIENCE,
        }).toString(),
      });
      const token = ((await response.json()) as { access_token: string }).access_token;
      const jwksBefore = await (await fetch(`${first.url}/.well-known/jwks.json`)).json();
      await first.close();

      second = await startTestServer({ publicUrl: TENANT, dataDir });
      expect(await (await fetch(`${second.url}/.well-known/jwks.json`)).json()).toEqual(jwksBefore);
      const read = await call(second, "GET", `/api/v2/clients/${app.client_id}`, { token });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ name: "restart" });
    } finally {
      await second?.close();
      if (second === undefined) await first.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
