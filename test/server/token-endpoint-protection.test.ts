import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";

let server: TestServer;
let tokenUrl: string;
let attacked: { id: string; clientSecret: string };
let bystander: { id: string; clientSecret: string };
// A second loopback address (all of 127/8 is loopback): the valid clients' own machine.
const elsewhere = "127.0.0.2";
const attacker = "127.0.0.1";

beforeAll(async () => {
  server = await startTestServer();
  const provider = await createProvider(server);
  tokenUrl = `${server.url}/p/${provider.id}/oauth/token`;
  attacked = await createClient(server, provider.id, {
    name: "attacked",
    audience: "https://a.example",
  });
  bystander = await createClient(server, provider.id, {
    name: "bystander",
    audience: "https://b.example",
  });
  for (const client of [attacked, bystander]) {
    const grant = await fetch(`${server.url}/api/v2/client-grants`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ client_id: client.id, audience: "https://api.example" }),
    });
    expect(grant.status).toBe(201);
  }
});
afterAll(async () => {
  await server.close();
});

/** One token request from `localAddress` (node:http, which can choose the source address). */
function tokenRequest(
  localAddress: string,
  clientId: string,
  secret: string,
): Promise<{ status: number; retryAfter: string | undefined; body: Record<string, unknown> }> {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: secret,
    audience: "https://api.example",
  }).toString();
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      tokenUrl,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers["retry-after"] as string | undefined,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("failed client authentication at the token endpoint", () => {
  it("meets a 429 with Retry-After in the OAuth error shape before the 300th wrong secret", async () => {
    let firstLimited: number | undefined;
    let limited: Awaited<ReturnType<typeof tokenRequest>> | undefined;
    for (let attempt = 1; attempt <= 300 && firstLimited === undefined; attempt++) {
      const result = await tokenRequest(attacker, attacked.id, `wrong-${attempt}`);
      if (result.status === 429) {
        firstLimited = attempt;
        limited = result;
      } else {
        expect(result.status).toBe(401);
      }
    }
    expect(firstLimited).toBeDefined();
    expect(firstLimited!).toBeLessThan(300);
    expect(Number(limited!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited!.body).toMatchObject({
      error: "invalid_client",
      error_description: expect.stringContaining("Too many failed client authentications"),
    });
  });

  it("keeps refusing the attacking address, even with a right secret", async () => {
    for (let attempt = 0; attempt < 60; attempt++) {
      await tokenRequest(attacker, bystander.id, `wrong-${attempt}`);
    }
    expect((await tokenRequest(attacker, bystander.id, bystander.clientSecret)).status).toBe(429);
  });

  it("still serves valid clients from other addresses, the attacked one included", async () => {
    const served = await tokenRequest(elsewhere, bystander.id, bystander.clientSecret);
    expect(served.body).not.toHaveProperty("error");
    expect(served.status).toBe(200);
    expect((await tokenRequest(elsewhere, attacked.id, attacked.clientSecret)).status).toBe(200);
    // A wrong secret for the attacked id from elsewhere is limited too: the id's own budget is spent.
    expect((await tokenRequest(elsewhere, attacked.id, "wrong")).status).toBe(429);
  });
});
