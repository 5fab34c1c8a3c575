// The quickstart: one issuer, two machine clients, the grants that say what they may call, and
// a short-lived token read through each token function. `npm run demo` runs it against the
// embedded grant server; `pulumi preview` shows what a change to it would do.
import * as pulumi from "@pulumi/pulumi";
import { decodeJwt } from "jose";
import * as grants from "pulumi-grants";

const issuer = new grants.Provider("quickstart", {
  name: "quickstart",
  description: "Tokens for CI deployments and AWS federation",
});

// A deployer that calls two internal APIs with OAuth client credentials.
const deployer = new grants.Client("ci-deployer", {
  providerId: issuer.id,
  name: "ci-deployer",
  audience: "https://deploy.example.com",
});

// A workload that trades its token for AWS credentials (AssumeRoleWithWebIdentity).
const awsWorkload = new grants.Client("aws-workload", {
  providerId: issuer.id,
  name: "aws-workload",
  audience: "sts.amazonaws.com",
});

const ordersGrant = new grants.ClientGrant("ci-deployer-orders", {
  clientId: deployer.id,
  audience: "https://orders.example.com",
  scopes: ["orders:read", "orders:write"],
});

const billingGrant = new grants.ClientGrant("ci-deployer-billing", {
  clientId: deployer.id,
  audience: "https://billing.example.com",
  scopes: ["invoices:read"],
});

// Both functions return secret Outputs: the tokens themselves never reach the state file.
const stsToken = grants.getAccessToken({
  providerId: issuer.id,
  clientId: awsWorkload.id,
  expiresInSeconds: 900,
});

const ordersToken = grants.getClientCredentialsToken({
  tokenUrl: deployer.tokenEndpoint,
  clientId: deployer.id,
  clientSecret: deployer.clientSecret,
  // Reading the audience from the grant makes the request wait until the grant exists.
  audience: ordersGrant.audience,
  scopes: ["orders:read"],
});

/** The claims a relying party checks, without the token: safe to show in plain text. */
function publicClaims(token: pulumi.Output<{ accessToken: string }>) {
  return pulumi.unsecret(
    token.apply(({ accessToken }) => {
      const claims = decodeJwt(accessToken);
      return {
        iss: claims.iss,
        sub: claims.sub,
        aud: claims.aud,
        scope: claims.scope,
        lifetimeSeconds: (claims.exp ?? 0) - (claims.iat ?? 0),
      };
    }),
  );
}

export const providerId = issuer.id;
export const issuerUrl = issuer.issuer;
export const jwksUri = issuer.jwksUri;
export const clients = { deployer: deployer.id, awsWorkload: awsWorkload.id };
export const grantIds = { orders: ordersGrant.id, billing: billingGrant.id };
export const stsTokenClaims = publicClaims(stsToken);
export const ordersTokenClaims = publicClaims(ordersToken);
