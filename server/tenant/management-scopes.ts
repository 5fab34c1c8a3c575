/**
 * The scope a Management API JWT needs per management operation (Auth0's names). Operations
 * missing here are not Auth0 Management API calls (the useGrant dialect): they take the admin
 * token only.
 */
export const MANAGEMENT_SCOPES: Readonly<Record<string, string | readonly string[]>> = {
  createClientGrant: "create:client_grants",
  listClientGrants: "read:client_grants",
  getClientGrant: "read:client_grants",
  updateClientGrant: "update:client_grants",
  deleteClientGrant: "delete:client_grants",
  createAuth0Client: "create:clients",
  listAuth0Clients: "read:clients",
  getAuth0Client: "read:clients",
  updateAuth0Client: "update:clients",
  deleteAuth0Client: "delete:clients",
  // A rotation changes the application's keys: Auth0 documents update:client_keys for it;
  // update:clients is accepted too, as for any change of the application.
  rotateAuth0ClientSecret: ["update:clients", "update:client_keys"],
};
