// AWS web-identity federation: AWS trusts tokens from this issuer when an IAM OIDC identity
// provider is registered for the issuer URL with the client's audience, and a role's trust
// policy names the token's `sub` and `aud`.
import * as pulumi from "@pulumi/pulumi";
import * as grants from "pulumi-grants";

const config = new pulumi.Config();
const accountId = config.get("awsAccountId") ?? "123456789012";
const roleName = config.get("roleName") ?? "deploy-from-ci";

const issuer = new grants.Provider("aws-federation", {
  name: "aws-federation",
  description: "Tokens exchanged for AWS credentials",
});

// AWS STS expects the audience `sts.amazonaws.com` unless the IAM provider lists another.
const workload = new grants.Client("ci-workload", {
  providerId: issuer.id,
  name: "ci-workload",
  audience: "sts.amazonaws.com",
});

// IAM names condition keys after the issuer without its scheme: `<host>/<path>:sub`.
const issuerKey = issuer.issuer.apply((url) => url.replace(/^https?:\/\//, ""));

export const oidcProviderUrl = issuer.issuer;
export const audience = workload.audience;
export const subject = workload.subject;
export const oidcProviderArn = pulumi.interpolate`arn:aws:iam::${accountId}:oidc-provider/${issuerKey}`;
export const trustPolicy = pulumi
  .all([issuerKey, workload.subject, workload.audience])
  .apply(([key, sub, aud]) =>
    JSON.stringify(
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: `Allow${roleName.replace(/[^A-Za-z0-9]/g, "")}`,
            Effect: "Allow",
            Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${key}` },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${key}:sub`]: sub, [`${key}:aud`]: aud } },
          },
        ],
      },
      null,
      2,
    ),
  );
