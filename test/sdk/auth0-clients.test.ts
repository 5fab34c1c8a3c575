import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANTS_NOT_FOUND, createGrantsClient, isGrantsError } from "../../sdk";
import type { GrantsClient } from "../../sdk";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";
import { failure } from "./_support/failure";

// GrantsClient.auth0Clients against the real grant server, in-process on loopback.
describe("sdk auth0Clients (/api/v2/clients)", () => {
  let server: TestServer;
  let client: GrantsClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = createGrantsClient({
      apiUrl: server.url,
      apiToken: server.adminToken,
      managementApiUrl: `${server.url}/api/v2`,
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("creates, gets, lists, updates, rotates and deletes an application", async () => {
    const created = await client.auth0Clients.create({
      name: "billing worker",
      app_type: "non_interactive",
      grant_types: ["client_credentials"],
    });
    expect(created.client_secret).toEqual(expect.any(String));
    const clientId = created.client_id;

    await expect(client.auth0Clients.get(clientId)).resolves.toMatchObject({
      client_id: clientId,
      name: "billing worker",
      app_type: "non_interactive",
    });
    const page = await client.auth0Clients.list({
      app_type: "non_interactive",
      fields: "client_id,name",
      include_totals: true,
    });
    expect(page).toEqual({
      start: 0,
      limit: 50,
      total: 1,
      clients: [{ client_id: clientId, name: "billing worker" }],
    });

    const updated = await client.auth0Clients.update(clientId, {
      client_metadata: { team: "billing" },
    });
    expect(updated.client_metadata).toEqual({ team: "billing" });

    const rotated = await client.auth0Clients.rotateSecret(clientId);
    expect(rotated.client_secret).toEqual(expect.any(String));
    expect(rotated.client_secret).not.toBe(created.client_secret);

    await expect(client.auth0Clients.delete(clientId)).resolves.toBeUndefined();
    const gone = await failure(client.auth0Clients.get(clientId));
    expect(isGrantsError(gone, GRANTS_NOT_FOUND)).toBe(true);
    expect(gone).toMatchObject({ status: 404, body: { errorCode: "inexistent_client" } });
  });

  it("rejects a body that breaks the contract with a TypeError naming the field", async () => {
    const refused = await failure(
      client.auth0Clients.create({ name: "x", app_type: "robot" } as never),
    );
    expect(refused).toMatchObject({
      name: "TypeError",
      code: "ERR_INVALID_ARG_VALUE",
      issues: [{ path: "body.app_type" }],
    });
  });
});
