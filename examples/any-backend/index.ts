// One program on every backend: which API each resource lives on is the stack's
// `grants:backend` (Pulumi.usegrant.yaml, Pulumi.auth0.yaml, Pulumi.nevis.yaml), and where that
// API is comes from the connection settings (README.md). The code is the same for all three.
import * as pulumi from "@pulumi/pulumi";
import * as grants from "pulumi-grants";

const backend = new pulumi.Config("grants").get("backend") ?? "usegrant";

const reportsApi = "https://reports.example.com";
const billingApi = "https://billing.example.com";

// useGrant: a provider (an issuer). nevisMeta: the setup of that issuer. Auth0: the tenant,
// which is the issuer of its applications; nothing is created for it.
const issuer = new grants.Provider("issuer", {
  name: "any-backend",
  description: "Issuer of the reporting and billing workers",
});

// A useGrant client is bound to one audience when it is created; on nevisMeta and Auth0 a client
// has none, and its grants alone name the APIs.
const audienceOn = (api: string) => (backend === "usegrant" ? api : undefined);

const reporter = new grants.Client("reporter", {
  providerId: issuer.id,
  name: "reporting-worker",
  audience: audienceOn(reportsApi),
});
const biller = new grants.Client("biller", {
  providerId: issuer.id,
  name: "billing-worker",
  audience: audienceOn(billingApi),
});

const reports = new grants.ClientGrant("reporter-reports", {
  clientId: reporter.id,
  audience: reportsApi,
  scopes: ["reports:read"],
});
new grants.ClientGrant("reporter-invoices", {
  clientId: reporter.id,
  audience: billingApi,
  scopes: ["invoices:read"],
});
new grants.ClientGrant("biller-invoices", {
  clientId: biller.id,
  audience: billingApi,
  scopes: ["invoices:read", "invoices:write"],
});

// A token for the reporting worker, with the client credentials grant at its issuer, asked for
// once its grant exists. It is a secret Output and not stored in state; only what it grants is
// exported.
const token = grants.getClientCredentialsToken({
  tokenUrl: reporter.tokenEndpoint,
  clientId: pulumi.all([reporter.id, reports.id]).apply(([clientId]) => clientId),
  clientSecret: reporter.clientSecret,
  audience: reportsApi,
  scopes: ["reports:read"],
});

export const issuerUrl = issuer.issuer;
export const clientIds = { reporter: reporter.id, biller: biller.id };
export const tokenScopes = pulumi.unsecret(token.apply((t) => t.scopes ?? []));
