// A workload that authenticates with a key pair instead of a shared secret: its Client is
// registered with the public key (token_endpoint_auth_method private_key_jwt) and 5-minute
// tokens, and the token below is obtained by signing an RFC 7523 assertion with the private key.
// The private key is a stack secret; only the public half reaches the server and the state.
import { createPublicKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { decodeJwt } from "jose";
import * as grants from "pulumi-grants";

const config = new pulumi.Config();
const privateKey = config.requireSecret("clientPrivateKey");

// The public JWK of the private key (a PEM or a private JWK as JSON): what the server verifies
// assertions with. Derived, so it always matches the key the program signs with.
const publicJwk = privateKey.apply((key) => {
  const text = key.trim();
  const material = text.startsWith("{")
    ? createPublicKey({ key: JSON.parse(text), format: "jwk" })
    : createPublicKey(text);
  return { ...material.export({ format: "jwk" }), kid: "workload-1", use: "sig" };
});

const issuer = new grants.Provider("issuer", {
  name: "reports",
  description: "Issuer of the reporting APIs",
});

const workload = new grants.Client("report-builder", {
  providerId: issuer.id,
  name: "report-builder",
  grantTypes: ["client_credentials"],
  tokenEndpointAuthMethod: "private_key_jwt",
  // The public key is not secret; unsecret keeps it readable in previews and state.
  jwks: pulumi.unsecret(publicJwk).apply((jwk) => ({ keys: [jwk as grants.ClientPublicJwk] })),
  accessTokenTtlSeconds: 300,
  scopes: ["reports:read"],
});

const grant = new grants.ClientGrant("report-builder-reports", {
  clientId: workload.id,
  audience: "https://reports.example.com",
  scopes: ["reports:read"],
});

const token = grants.getClientCredentialsToken({
  tokenUrl: workload.tokenEndpoint,
  clientId: workload.id,
  privateKey,
  audience: grant.audience,
});

export const clientId = workload.id;
export const authMethod = workload.tokenEndpointAuthMethod;
// Read back from a real token: proof that the key authenticated and the lifetime took effect.
export const tokenLifetime = pulumi.unsecret(
  token.apply(({ accessToken }) => {
    const { exp = 0, iat = 0 } = decodeJwt(accessToken);
    return exp - iat;
  }),
);
export const tokenScopes = pulumi.unsecret(token.apply(({ scopes }) => scopes ?? []));
