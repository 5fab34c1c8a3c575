import { ManagementError } from "auth0";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientGrantCheckpointPageSchema,
  clientGrantOffsetPageSchema,
  clientGrantArraySchema,
  clientGrantSchema,
} from "../../sdk/schemas/client-grant";
import { auth0ErrorBodySchema } from "../../sdk/schemas/error-body";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { managementClient } from "./_auth0";
import { createClient, createProvider } from "./_fixtures";
import { call, expectStatus } from "./_http";

/** Runs `action`, expecting the SDK to throw a ManagementError; returns status and parsed body. */
async function sdkFailure(action: () => Promise<unknown>) {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(ManagementError);
    const failure = error as ManagementError;
    return { status: failure.statusCode, body: auth0ErrorBodySchema.parse(failure.body) };
  }
  throw new Error("expected the SDK call to fail");
}

describe("Auth0 /api/v2/client-grants driven by the auth0 v7 SDK", () => {
  let server: TestServer;
  let management: ReturnType<typeof managementClient>;
  let clientId: string;
  let otherClientId: string;

  beforeAll(async () => {
    server = await startTestServer();
    management = managementClient(server);
    const provider = await createProvider(server);
    clientId = (await createClient(server, provider.id)).id;
    otherClientId = (await createClient(server, provider.id, { name: "other", audience: "aud" }))
      .id;
  });
  afterAll(() => server.close());

  it("creates a grant with 201, an cgr_ id, and omits the fields the caller did not set", async () => {
    const raw = expectStatus(
      await call(server, "POST", "/api/v2/client-grants", {
        body: { client_id: clientId, audience: "https://raw.example.test", scope: ["read:x"] },
      }),
      201,
    );
    expect(raw.body).toEqual({
      id: expect.stringMatching(/^cgr_[A-Za-z0-9]{16}$/),
      client_id: clientId,
      audience: "https://raw.example.test",
      scope: ["read:x"],
    });

    const created = await management.clientGrants.create({
      client_id: clientId,
      audience: "https://sdk.example.test",
      scope: ["read:a", "write:a"],
      subject_type: "client",
      organization_usage: "allow",
      allow_any_organization: true,
      authorization_details_types: ["payment"],
    });
    expect(clientGrantSchema.parse(created)).toEqual({
      id: expect.stringMatching(/^cgr_/),
      client_id: clientId,
      audience: "https://sdk.example.test",
      scope: ["read:a", "write:a"],
      subject_type: "client",
      organization_usage: "allow",
      allow_any_organization: true,
      authorization_details_types: ["payment"],
    });
  });

  it("answers 404 inexistent_client when client_id names no client", async () => {
    const failure = await sdkFailure(() =>
      management.clientGrants.create({
        client_id: "3a1d7b0e-0000-4000-8000-000000000000",
        audience: "https://nowhere.example.test",
      }),
    );
    expect(failure).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: "Not Found",
        message: "The client does not exist",
        errorCode: "inexistent_client",
      },
    });
  });

  it("answers 409 for a second grant with the same client, audience and subject type", async () => {
    await management.clientGrants.create({
      client_id: clientId,
      audience: "https://dup.example.test",
    });
    const failure = await sdkFailure(() =>
      management.clientGrants.create({
        client_id: clientId,
        audience: "https://dup.example.test",
        subject_type: "client",
      }),
    );
    expect(failure.status).toBe(409);
    expect(failure.body).toEqual({
      statusCode: 409,
      error: "Conflict",
      message: `A client grant already exists between ${clientId} and https://dup.example.test`,
      errorCode: "conflict",
    });
    // A user-flow grant for the same API is a different grant (Auth0 allows one of each).
    const userGrant = await management.clientGrants.create({
      client_id: clientId,
      audience: "https://dup.example.test",
      subject_type: "user",
    });
    expect(userGrant.subject_type).toBe("user");
  });

  it("rejects allow_all_scopes together with a non-empty scope, naming the field", async () => {
    const failure = await sdkFailure(() =>
      management.clientGrants.create({
        client_id: clientId,
        audience: "https://all.example.test",
        scope: ["read:x"],
        allow_all_scopes: true,
      }),
    );
    expect(failure.status).toBe(400);
    expect(failure.body.errorCode).toBe("invalid_body");
    expect(failure.body.message).toBe(
      "scope: `scope` must be empty when `allow_all_scopes` is true",
    );
  });

  it("gets a grant by id; an unknown id is 404 and a malformed one 400 invalid_uri", async () => {
    const created = await management.clientGrants.create({
      client_id: clientId,
      audience: "https://get.example.test",
    });
    const fetched = await management.clientGrants.get(created.id!);
    expect(fetched).toEqual(created);

    const missing = await sdkFailure(() => management.clientGrants.get("cgr_0000000000000000"));
    expect(missing).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: "Not Found",
        message: "The client grant does not exist",
        errorCode: "inexistent_client_grant",
      },
    });
    const malformed = await sdkFailure(() => management.clientGrants.get("not-a-grant"));
    expect(malformed.status).toBe(400);
    expect(malformed.body.errorCode).toBe("invalid_uri");
    expect(malformed.body.message).toMatch(/^id: /);
  });

  it("updates the mutable fields with PATCH: a present field replaces, null unsets", async () => {
    const created = await management.clientGrants.create({
      client_id: clientId,
      audience: "https://patch.example.test",
      scope: ["a", "b"],
      organization_usage: "require",
    });
    const updated = await management.clientGrants.update(created.id!, {
      scope: ["c"],
      organization_usage: null,
      allow_any_organization: true,
    });
    expect(updated).toEqual({
      id: created.id,
      client_id: clientId,
      audience: "https://patch.example.test",
      scope: ["c"],
      allow_any_organization: true,
    });
    expect(await management.clientGrants.get(created.id!)).toEqual(updated);
    const cleared = await management.clientGrants.update(created.id!, { scope: [] });
    expect(cleared.scope).toEqual([]);
  });

  it("rejects an empty PATCH, an immutable field, and a merge that breaks allow_all_scopes", async () => {
    const created = await management.clientGrants.create({
      client_id: clientId,
      audience: "https://patch-errors.example.test",
      scope: ["keep"],
    });
    const empty = await sdkFailure(() => management.clientGrants.update(created.id!, {}));
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ errorCode: "invalid_body" });
    expect(empty.body.message).toContain("at least one property");

    const immutable = await call(server, "PATCH", `/api/v2/client-grants/${created.id}`, {
      body: { audience: "https://elsewhere.example.test" },
    });
    expect(immutable.status).toBe(400);
    expect(immutable.body).toMatchObject({
      errorCode: "invalid_body",
      message: "audience: unknown field",
    });

    const merged = await sdkFailure(() =>
      management.clientGrants.update(created.id!, { allow_all_scopes: true }),
    );
    expect(merged.status).toBe(400);
    expect(merged.body.message).toMatch(/^scope: /);
    // Nothing was written by the failed updates.
    expect(await management.clientGrants.get(created.id!)).toEqual(created);

    const missing = await sdkFailure(() =>
      management.clientGrants.update("cgr_0000000000000000", { scope: [] }),
    );
    expect(missing.status).toBe(404);
  });

  it("deletes a grant with 204; deleting it again is 404", async () => {
    const created = await management.clientGrants.create({
      client_id: clientId,
      audience: "https://delete.example.test",
    });
    const raw = await call(server, "DELETE", `/api/v2/client-grants/${created.id}`);
    expect(raw.status).toBe(204);
    expect(raw.text).toBe("");
    const again = await sdkFailure(() => management.clientGrants.delete(created.id!));
    expect(again.status).toBe(404);
    expect(again.body.errorCode).toBe("inexistent_client_grant");
  });

  describe("listing", () => {
    const audience = "https://paging.example.test";
    let pagingClient: string;
    const created: string[] = [];

    beforeAll(async () => {
      const provider = await createProvider(server, { name: "Paging", description: "paging" });
      pagingClient = (await createClient(server, provider.id)).id;
      for (let index = 0; index < 60; index++) {
        const grant = await management.clientGrants.create({
          client_id: pagingClient,
          audience: `${audience}/${index}`,
          allow_any_organization: index % 2 === 0,
          ...(index % 10 === 0 ? { subject_type: "user" as const } : {}),
        });
        created.push(grant.id!);
      }
    });

    it("iterates every page through the SDK, which sends include_totals=true&take=50", async () => {
      const seen: string[] = [];
      for await (const grant of await management.clientGrants.list({ client_id: pagingClient })) {
        seen.push(grant.id!);
      }
      expect(seen).toEqual(created);
    });

    it("answers take/from with the checkpoint envelope, without next on the last page", async () => {
      const first = clientGrantCheckpointPageSchema.parse(
        expectStatus(
          await call(server, "GET", `/api/v2/client-grants?client_id=${pagingClient}&take=40`),
          200,
        ).body,
      );
      expect(first.client_grants.map((grant) => grant.id)).toEqual(created.slice(0, 40));
      expect(first.next).toEqual(expect.any(String));
      const second = clientGrantCheckpointPageSchema.parse(
        expectStatus(
          await call(
            server,
            "GET",
            `/api/v2/client-grants?client_id=${pagingClient}&take=40&from=${first.next}`,
          ),
          200,
        ).body,
      );
      expect(second.client_grants.map((grant) => grant.id)).toEqual(created.slice(40));
      expect(second).not.toHaveProperty("next");
    });

    it("answers per_page/page with a bare array, and include_totals with the offset envelope", async () => {
      const page = clientGrantArraySchema.parse(
        expectStatus(
          await call(
            server,
            "GET",
            `/api/v2/client-grants?client_id=${pagingClient}&per_page=25&page=2`,
          ),
          200,
        ).body,
      );
      expect(page.map((grant) => grant.id)).toEqual(created.slice(50, 60));
      const envelope = clientGrantOffsetPageSchema.parse(
        expectStatus(
          await call(
            server,
            "GET",
            `/api/v2/client-grants?client_id=${pagingClient}&per_page=25&page=1&include_totals=true`,
          ),
          200,
        ).body,
      );
      expect(envelope).toMatchObject({ start: 25, limit: 25, total: 60 });
      expect(envelope.client_grants.map((grant) => grant.id)).toEqual(created.slice(25, 50));
      const all = clientGrantArraySchema.parse(
        (await call(server, "GET", `/api/v2/client-grants?client_id=${pagingClient}`)).body,
      );
      expect(all).toHaveLength(60);
    });

    it("filters by audience, client_id, allow_any_organization and subject_type", async () => {
      const byAudience = clientGrantArraySchema.parse(
        (
          await call(
            server,
            "GET",
            `/api/v2/client-grants?audience=${encodeURIComponent(`${audience}/7`)}`,
          )
        ).body,
      );
      expect(byAudience.map((grant) => grant.id)).toEqual([created[7]]);
      const anyOrganization = clientGrantArraySchema.parse(
        (
          await call(
            server,
            "GET",
            `/api/v2/client-grants?client_id=${pagingClient}&allow_any_organization=true`,
          )
        ).body,
      );
      expect(anyOrganization.map((grant) => grant.id)).toEqual(
        created.filter((_, i) => i % 2 === 0),
      );
      const users = clientGrantArraySchema.parse(
        (
          await call(
            server,
            "GET",
            `/api/v2/client-grants?client_id=${pagingClient}&subject_type=user`,
          )
        ).body,
      );
      expect(users.map((grant) => grant.id)).toEqual(created.filter((_, i) => i % 10 === 0));
      // An unset subject type counts as `client`.
      const clients = clientGrantArraySchema.parse(
        (
          await call(
            server,
            "GET",
            `/api/v2/client-grants?client_id=${pagingClient}&subject_type=client`,
          )
        ).body,
      );
      expect(clients).toHaveLength(54);
      const none = clientGrantArraySchema.parse(
        (await call(server, "GET", `/api/v2/client-grants?client_id=${otherClientId}`)).body,
      );
      expect(none).toEqual([]);
    });

    it("rejects checkpoint and offset paging together, and a cursor it did not issue", async () => {
      const mixed = await call(server, "GET", "/api/v2/client-grants?take=5&page=1");
      expect(mixed.status).toBe(400);
      expect(mixed.body).toMatchObject({ errorCode: "invalid_query_string" });
      const forged = await call(server, "GET", "/api/v2/client-grants?from=bm9wZQ");
      expect(forged.status).toBe(400);
      expect(forged.body).toMatchObject({
        errorCode: "invalid_query_string",
        message: "from: is not a cursor this server issued",
      });
    });
  });

  it("removes a client's grants when the client is deleted", async () => {
    const provider = await createProvider(server);
    const client = await createClient(server, provider.id);
    const grant = await management.clientGrants.create({
      client_id: client.id,
      audience: "https://cascade.example.test",
    });
    expectStatus(
      await call(server, "DELETE", `/v1/providers/${provider.id}/clients/${client.id}`),
      204,
    );
    expect((await sdkFailure(() => management.clientGrants.get(grant.id!))).status).toBe(404);
  });
});
