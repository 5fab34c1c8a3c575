import { randomBytes } from "node:crypto";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientGrantSchema } from "../../sdk/schemas/client-grant";
import { jwksSchema } from "../../sdk/schemas/oauth";
import type { Provider } from "../../sdk/schemas/provider";
import { signingKeySchema } from "../../sdk/schemas/provider";
import { freshPostgresDatabase } from "../support/postgres";
import { spawnCli, waitForReady } from "./_cli";
import type { CliProcess } from "./_cli";
import { createClient, createProvider } from "./_fixtures";
import { keyIdOf } from "./_jose";
import { call, expectStatus } from "./_http";

const PUBLIC_URL = "http://grants.example.test";
const API = "https://api.example.test";
const ADMIN_TOKEN = `uga_${randomBytes(32).toString("base64url")}`;
const MASTER_KEY = randomBytes(32).toString("base64url");
/** The key cache lifetime of both instances: short, so a rotation spreads within the test. */
const KEY_CACHE_SECONDS = 1;

interface Instance {
  cli: CliProcess;
  url: string;
  adminToken: string;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const cli = spawnCli(
    [
      "--port",
      "0",
      "--database-url",
      databaseUrl,
      "--public-url",
      PUBLIC_URL,
      "--key-cache-seconds",
      String(KEY_CACHE_SECONDS),
      "--log-level",
      "warn",
    ],
    {
      GRANTS_ADMIN_TOKEN: ADMIN_TOKEN,
      GRANTS_MASTER_KEY: MASTER_KEY,
      GRANTS_DATABASE_URL: undefined,
    },
  );
  return { cli, url: await waitForReady(cli), adminToken: ADMIN_TOKEN };
}

async function token(instance: Instance, providerId: string, client: ClientCredentials) {
  const response = await fetch(`${instance.url}/p/${providerId}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.id,
      client_secret: client.clientSecret,
      audience: API,
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token request answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

async function jwksOf(instance: Instance, providerId: string) {
  const response = await fetch(`${instance.url}/p/${providerId}/.well-known/jwks`);
  return jwksSchema.parse(await response.json());
}

/** Verifies as a relying party that fetched its keys from `instance`. */
async function verifiesAgainst(instance: Instance, providerId: string, jwt: string) {
  const keys = createLocalJWKSet(await jwksOf(instance, providerId));
  const { payload } = await jwtVerify(jwt, keys, {
    issuer: `${PUBLIC_URL}/p/${providerId}`,
    audience: API,
  });
  return payload;
}

interface ClientCredentials {
  id: string;
  clientSecret: string;
}

describe("two grant-server processes on one PostgreSQL database", () => {
  let database: { url: string; drop(): Promise<void> };
  let a: Instance;
  let b: Instance;
  let provider: Provider;
  let client: ClientCredentials;

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    // Started together: they race to migrate the empty database, and migrate it once.
    [a, b] = await Promise.all([startInstance(database.url), startInstance(database.url)]);
    provider = await createProvider(a);
    client = await createClient(a, provider.id);
    expectStatus(
      await call(a, "POST", "/api/v2/client-grants", {
        body: { client_id: client.id, audience: API },
      }),
      201,
    );
  });

  afterAll(async () => {
    for (const instance of [a, b]) {
      if (
        instance &&
        instance.cli.child.exitCode === null &&
        instance.cli.child.signalCode === null
      ) {
        instance.cli.child.kill("SIGTERM");
        await instance.cli.exited;
      }
    }
    await database?.drop();
  });

  it("give a client created through one instance its tokens through the other", async () => {
    const jwt = await token(b, provider.id, client);
    const payload = await verifiesAgainst(a, provider.id, jwt);
    expect(payload.client_id ?? payload.azp ?? payload.sub).toBeDefined();
    expect(payload.iss).toBe(`${PUBLIC_URL}/p/${provider.id}`);
  });

  it("agree on one tenant: made by both at once, its keys are one, and a Management API token of one is accepted by the other", async () => {
    // Both make their first application at the same time: each would make the tenant.
    const [first, second] = await Promise.all(
      [a, b].map(async (instance, index) =>
        expectStatus(
          await call(instance, "POST", "/api/v2/clients", { body: { name: `first ${index}` } }),
          201,
        ),
      ),
    );
    const [jwksA, jwksB] = await Promise.all(
      [a, b].map(async (instance) =>
        jwksSchema.parse(await (await fetch(`${instance.url}/.well-known/jwks.json`)).json()),
      ),
    );
    expect(jwksA.keys).toHaveLength(1);
    expect(jwksB).toEqual(jwksA);
    const listed = expectStatus(await call(b, "GET", "/api/v2/clients?fields=client_id"), 200);
    expect(listed.body).toEqual(
      expect.arrayContaining([
        { client_id: (first!.body as { client_id: string }).client_id },
        { client_id: (second!.body as { client_id: string }).client_id },
      ]),
    );

    const audience = `${PUBLIC_URL}/api/v2/`;
    const app = expectStatus(
      await call(a, "POST", "/api/v2/clients", { body: { name: "tenant deployer" } }),
      201,
    ).body as { client_id: string; client_secret: string };
    expectStatus(
      await call(a, "POST", "/api/v2/client-grants", {
        body: { client_id: app.client_id, audience, scope: ["read:clients"] },
      }),
      201,
    );
    const issued = await fetch(`${b.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: app.client_id,
        client_secret: app.client_secret,
        audience,
      }).toString(),
    });
    expect(issued.status).toBe(200);
    const { access_token: managementToken } = (await issued.json()) as { access_token: string };
    for (const instance of [a, b]) {
      const read = await call(instance, "GET", `/api/v2/clients/${app.client_id}`, {
        token: managementToken,
      });
      expect(read.status).toBe(200);
    }
  });

  it("sign tokens that verify against either instance's JWKS", async () => {
    for (const signer of [a, b]) {
      const jwt = await token(signer, provider.id, client);
      for (const verifier of [a, b]) await verifiesAgainst(verifier, provider.id, jwt);
    }
  });

  it("publish a key rotated through one instance on the other within the key cache lifetime, and never sign with an unpublished key", async () => {
    const before = keyIdOf(await token(a, provider.id, client));
    const rotated = signingKeySchema.parse(
      expectStatus(
        await call(b, "POST", `/v1/providers/${provider.id}/keys/rotate`, {
          body: { algorithm: "ES256" },
        }),
        201,
      ).body,
    );
    expect(rotated.kid).not.toBe(before);

    // Bounded: at most 100 rounds of 100 ms, far beyond the 1 s lifetime (no wall-clock assert:
    // only that it happens, and that every token minted meanwhile verifies on both instances).
    let publishedByA = false;
    let signedWithNew = { a: false, b: false };
    for (
      let round = 0;
      round < 100 && !(publishedByA && signedWithNew.a && signedWithNew.b);
      round++
    ) {
      for (const [name, signer] of [
        ["a", a],
        ["b", b],
      ] as const) {
        const jwt = await token(signer, provider.id, client);
        for (const verifier of [a, b]) await verifiesAgainst(verifier, provider.id, jwt);
        if (keyIdOf(jwt) === rotated.kid) signedWithNew = { ...signedWithNew, [name]: true };
      }
      publishedByA ||= (await jwksOf(a, provider.id)).keys.some((key) => key.kid === rotated.kid);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(publishedByA).toBe(true);
    expect(signedWithNew).toEqual({ a: true, b: true });
    // The old key stays published on both while tokens it signed may live.
    for (const instance of [a, b]) {
      expect((await jwksOf(instance, provider.id)).keys.map((key) => key.kid)).toContain(before);
    }
  });

  it("answer one 201 and one 409 when both create the same grant at the same time", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const audience = `https://race-${attempt}.example.test`;
      const results = await Promise.all(
        [a, b].map((instance) =>
          call(instance, "POST", "/api/v2/client-grants", {
            body: { client_id: client.id, audience },
          }),
        ),
      );
      expect(results.map((result) => result.status).sort()).toEqual([201, 409]);
      const listed = await call(
        a,
        "GET",
        `/api/v2/client-grants?audience=${encodeURIComponent(audience)}`,
      );
      expect(listed.body).toHaveLength(1);
    }
  });

  it("answer a create retried through the other instance with the same Idempotency-Key with the first answer", async () => {
    const name = `idempotent-${randomBytes(4).toString("hex")}`;
    const request = {
      body: { name, description: "retried" },
      headers: { "idempotency-key": randomBytes(16).toString("hex") },
    };
    const first = expectStatus(await call(a, "POST", "/v1/providers", request), 201);
    const retried = expectStatus(await call(b, "POST", "/v1/providers", request), 201);
    expect(retried.body).toEqual(first.body);

    // Sent to both at once: one creates; the other replays that answer or says it is running.
    const racedName = `${name}-raced`;
    const raced = {
      body: { name: racedName, description: "raced" },
      headers: { "idempotency-key": randomBytes(16).toString("hex") },
    };
    const results = await Promise.all(
      [a, b].map((instance) => call(instance, "POST", "/v1/providers", raced)),
    );
    expect(results.some((result) => result.status === 201)).toBe(true);
    for (const result of results) expect([201, 409]).toContain(result.status);

    const all = (await call(a, "GET", "/v1/providers")).body as { name: string }[];
    expect(all.filter((provider) => provider.name === name)).toHaveLength(1);
    expect(all.filter((provider) => provider.name === racedName)).toHaveLength(1);
  });

  it("say in their rate-limit headers that each counts its own requests", async () => {
    for (const instance of [a, b]) {
      const result = expectStatus(await call(instance, "GET", "/v1/providers"), 200);
      expect(result.headers.get("x-ratelimit-scope")).toBe("instance");
      expect(result.headers.get("x-ratelimit-limit")).toBe("1000");
    }
  });

  it("lose no acknowledged write when one instance is killed with SIGKILL", async () => {
    const written = await createClient(a, provider.id, { name: "late", audience: API });
    const grant = clientGrantSchema.parse(
      expectStatus(
        await call(a, "POST", "/api/v2/client-grants", {
          body: { client_id: written.id, audience: API },
        }),
        201,
      ).body,
    );
    const patched = expectStatus(
      await call(a, "PATCH", `/api/v2/client-grants/${grant.id}`, { body: { scope: ["x"] } }),
      200,
    );
    a.cli.child.kill("SIGKILL");
    expect(await a.cli.exited).toBe("SIGKILL");

    expect((await call(b, "GET", `/api/v2/client-grants/${grant.id}`)).body).toEqual(patched.body);
    const jwt = await token(b, provider.id, written);
    await verifiesAgainst(b, provider.id, jwt);
  });
});

describe("a grant-server on PostgreSQL", () => {
  it("refuses to start without the settings every instance must share, naming them", async () => {
    const database = await freshPostgresDatabase();
    try {
      const cli = spawnCli(["--port", "0", "--database-url", database.url], {
        GRANTS_ADMIN_TOKEN: ADMIN_TOKEN,
        GRANTS_MASTER_KEY: undefined,
        GRANTS_DATABASE_URL: undefined,
      });
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toMatch(/publicUrl \(--public-url\), masterKey \(GRANTS_MASTER_KEY\)/);
      expect(cli.stderr()).not.toContain(ADMIN_TOKEN);
    } finally {
      await database.drop();
    }
  });

  it("refuses to start with a master key that does not open the stored keys", async () => {
    const database = await freshPostgresDatabase();
    try {
      const first = await startInstance(database.url);
      await createProvider(first);
      first.cli.child.kill("SIGTERM");
      await first.cli.exited;
      const other = randomBytes(32).toString("base64url");
      const cli = spawnCli(
        ["--port", "0", "--database-url", database.url, "--public-url", PUBLIC_URL],
        {
          GRANTS_ADMIN_TOKEN: ADMIN_TOKEN,
          GRANTS_MASTER_KEY: other,
          GRANTS_DATABASE_URL: undefined,
        },
      );
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toMatch(/master key does not open the stored signing keys/);
      expect(cli.stderr()).not.toContain(other);
    } finally {
      await database.drop();
    }
  });
});
