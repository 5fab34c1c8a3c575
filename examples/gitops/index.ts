// The grants a team reviews in pull requests. The workflows in .github/workflows/ preview this
// program on every pull request, apply it on merge, and fail a nightly job when someone changed
// a grant outside of it.
import * as grants from "pulumi-grants";

const issuer = new grants.Provider("platform", {
  name: "platform",
  description: "Issuer for platform automation",
});

const releaseBot = new grants.Client("release-bot", {
  providerId: issuer.id,
  name: "release-bot",
  audience: "https://releases.example.com",
});

const artifacts = new grants.ClientGrant("release-bot-artifacts", {
  clientId: releaseBot.id,
  // Only for people: previews and `pulumi-grants review` show the client's name with it.
  clientName: releaseBot.name,
  audience: "https://artifacts.example.com",
  scopes: ["artifacts:read", "artifacts:publish"],
});

export const grantId = artifacts.id;
