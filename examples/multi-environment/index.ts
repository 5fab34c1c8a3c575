// One program for every environment. What differs between them lives in the stack files
// (Pulumi.dev.yaml, Pulumi.prod.yaml): here, the scopes the deployer gets and how long its
// tokens live. Promoting a change is then a reviewed edit of one of those files.
import * as pulumi from "@pulumi/pulumi";
import { decodeJwt } from "jose";
import * as grants from "pulumi-grants";

const config = new pulumi.Config();
const environment = pulumi.getStack();
const scopes = config.requireObject<string[]>("scopes");
const tokenLifetimeSeconds = config.requireNumber("tokenLifetimeSeconds");

const issuer = new grants.Provider("issuer", {
  name: `orders-${environment}`,
  description: `Issuer for the ${environment} environment`,
});

const deployer = new grants.Client("deployer", {
  providerId: issuer.id,
  name: `deployer-${environment}`,
  audience: `https://deploy.${environment}.example.com`,
});

const ordersGrant = new grants.ClientGrant("deployer-orders", {
  clientId: deployer.id,
  audience: `https://orders.${environment}.example.com`,
  scopes,
});

const token = grants.getAccessToken({
  providerId: issuer.id,
  clientId: deployer.id,
  expiresInSeconds: tokenLifetimeSeconds,
});

export const issuerUrl = issuer.issuer;
export const grantedScopes = ordersGrant.scopes;
// The lifetime read back from a real token, not from config: proof the setting took effect.
export const tokenLifetime = pulumi.unsecret(
  token.apply(({ accessToken }) => {
    const { exp = 0, iat = 0 } = decodeJwt(accessToken);
    return exp - iat;
  }),
);
