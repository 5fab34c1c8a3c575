import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientListSchema, clientSchema, createdClientSchema } from "../../sdk/schemas/client";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

describe("useGrant /v1/providers/{providerId}/clients", () => {
  let server: TestServer;
  let providerId: string;
  beforeAll(async () => {
    server = await startTestServer();
    providerId = (await createProvider(server)).id;
  });
  afterAll(() => server.close());

  it("creates a client with 201; only the create response shows the secret", async () => {
    const result = expectStatus(
      await call(server, "POST", `/v1/providers/${providerId}/clients`, {
        body: { name: "deployer", audience: "sts.amazonaws.com" },
      }),
      201,
    );
    const created = createdClientSchema.parse(result.body);
    expect(Object.keys(result.body as object).sort()).toEqual(
      ["audience", "clientSecret", "createdAt", "id", "name", "subject", "updatedAt"].sort(),
    );
    expect(created).toMatchObject({ name: "deployer", audience: "sts.amazonaws.com" });
    expect(created.subject).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const fetched = expectStatus(
      await call(server, "GET", `/v1/providers/${providerId}/clients/${created.id}`),
      200,
    );
    expect(fetched.body).not.toHaveProperty("clientSecret");
    const { clientSecret: _secret, ...withoutSecret } = created;
    expect(clientSchema.parse(fetched.body)).toEqual(withoutSecret);
    const list = expectStatus(
      await call(server, "GET", `/v1/providers/${providerId}/clients`),
      200,
    );
    expect(list.text).not.toContain(created.clientSecret!);
  });

  it("lists a provider's clients as a bare array in creation order", async () => {
    const provider = await createProvider(server, { name: "Listing", description: "x" });
    const first = await createClient(server, provider.id, { name: "first", audience: "aud-1" });
    const second = await createClient(server, provider.id, { name: "second", audience: "aud-2" });
    const list = clientListSchema.parse(
      expectStatus(await call(server, "GET", `/v1/providers/${provider.id}/clients`), 200).body,
    );
    expect(list.map((client) => client.id)).toEqual([first.id, second.id]);
  });

  it("deletes a client with 204; afterwards it is 404", async () => {
    const client = await createClient(server, providerId);
    const deleted = await call(
      server,
      "DELETE",
      `/v1/providers/${providerId}/clients/${client.id}`,
    );
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const gone = await call(server, "GET", `/v1/providers/${providerId}/clients/${client.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ code: "not_found", message: "Client not found" });
  });

  it("does not find a client under another provider, nor under an unknown one", async () => {
    const client = await createClient(server, providerId);
    const other = await createProvider(server, { name: "Someone else", description: "x" });
    for (const path of [
      `/v1/providers/${other.id}/clients/${client.id}`,
      `/v1/providers/00000000-0000-4000-8000-000000000000/clients/${client.id}`,
      `/v1/providers/${providerId}/clients/not-a-uuid`,
    ]) {
      expect((await call(server, "GET", path)).status).toBe(404);
    }
    expect(
      (await call(server, "DELETE", `/v1/providers/${other.id}/clients/${client.id}`)).status,
    ).toBe(404);
    // Still there for its own provider.
    expectStatus(
      await call(server, "GET", `/v1/providers/${providerId}/clients/${client.id}`),
      200,
    );
    expect(
      (
        await call(server, "POST", "/v1/providers/00000000-0000-4000-8000-000000000000/clients", {
          body: { name: "orphan", audience: "aud" },
        })
      ).body,
    ).toEqual({ code: "not_found", message: "Provider not found" });
  });
});
