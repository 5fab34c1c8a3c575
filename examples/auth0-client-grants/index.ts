// Which APIs one machine client may call, and with which scopes, as Auth0 client grants.
// The same program runs against the local grant server and against an Auth0 tenant: set
// `clientId` to the tenant application's client ID and point grants:managementApiUrl /
// grants:managementApiToken at the tenant (see README.md). Nothing else changes.
import * as pulumi from "@pulumi/pulumi";
import * as grants from "pulumi-grants";

const config = new pulumi.Config();

// On Auth0 the application already exists. Locally, make one on the grant server to grant to.
function localClient(): pulumi.Output<string> {
  const issuer = new grants.Provider("backend-services", {
    name: "backend-services",
    description: "Issuer for the reporting service",
  });
  return new grants.Client("reporting-service", {
    providerId: issuer.id,
    name: "reporting-service",
    audience: "https://reporting.example.com",
  }).id;
}
const clientId = config.get("clientId") ?? localClient();

const orders = new grants.ClientGrant("reporting-orders", {
  clientId,
  audience: "https://orders.example.com",
  scopes: ["orders:read", "orders:export"],
});

const invoices = new grants.ClientGrant("reporting-invoices", {
  clientId,
  audience: "https://billing.example.com",
  scopes: ["invoices:read"],
});

// An organization-aware API: tokens for it must name an organization the client belongs to.
const customers = new grants.ClientGrant("reporting-customers", {
  clientId,
  audience: "https://customers.example.com",
  scopes: ["customers:read"],
  organizationUsage: "require",
  allowAnyOrganization: true,
});

export const grantIds = { orders: orders.id, invoices: invoices.id, customers: customers.id };
export const grantedScopes = {
  orders: orders.scopes,
  invoices: invoices.scopes,
  customers: customers.scopes,
};
