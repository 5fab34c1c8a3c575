import type { CreatedClient } from "../../sdk/schemas/client";
import { createdClientSchema } from "../../sdk/schemas/client";
import type { Provider } from "../../sdk/schemas/provider";
import { providerSchema } from "../../sdk/schemas/provider";
import type { TestServer } from "../support/grant-server";
import { call, expectStatus } from "./_http";

type Server = Pick<TestServer, "url" | "adminToken">;

export async function createProvider(
  server: Server,
  body: Record<string, unknown> = { name: "Acme issuer", description: "Machine tokens" },
): Promise<Provider> {
  const result = expectStatus(await call(server, "POST", "/v1/providers", { body }), 201);
  return providerSchema.parse(result.body);
}

export async function createClient(
  server: Server,
  providerId: string,
  body: Record<string, unknown> = { name: "deployer", audience: "https://api.example.test" },
): Promise<CreatedClient & { clientSecret: string }> {
  const result = expectStatus(
    await call(server, "POST", `/v1/providers/${providerId}/clients`, { body }),
    201,
  );
  const client = createdClientSchema.parse(result.body);
  if (client.clientSecret === undefined) throw new Error("the create response lacks clientSecret");
  return { ...client, clientSecret: client.clientSecret };
}
