import type { TestServer } from "./grant-server";

/** Every Management API scope the provider's resources use. */
export const EVERY_MANAGEMENT_SCOPE = [
  "read:clients",
  "create:clients",
  "update:clients",
  "delete:clients",
  "read:client_grants",
  "create:client_grants",
  "update:client_grants",
  "delete:client_grants",
];

/**
 * An M2M application of the server's tenant with a client grant on its Management API, as an
 * Auth0 team creates one for its deployer: the credentials `grants:auth0ClientId` and
 * `grants:auth0ClientSecret` name. Created with the admin token.
 */
export async function createManagementApplication(
  server: Pick<TestServer, "url" | "adminToken">,
  scopes: readonly string[] = EVERY_MANAGEMENT_SCOPE,
): Promise<{ clientId: string; clientSecret: string }> {
  const admin = async (pathname: string, body: unknown) => {
    const response = await fetch(`${server.url}/api/v2${pathname}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) {
      throw new Error(`POST ${pathname} answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as Record<string, unknown>;
  };
  const app = await admin("/clients", {
    name: "pulumi deployer",
    app_type: "non_interactive",
    grant_types: ["client_credentials"],
  });
  await admin("/client-grants", {
    client_id: app.client_id,
    audience: `${server.url}/api/v2/`,
    scope: scopes,
  });
  return { clientId: app.client_id as string, clientSecret: app.client_secret as string };
}
