import http from "node:http";
import type { AddressInfo } from "node:net";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGrantsPackage, repoRequire } from "../support/provider-package";

// The built package and its @pulumi/pulumi, as a program loads them (the function's code loads
// on its first call, from dist/).
const { getClientCredentialsToken } = loadGrantsPackage();
const pulumiRuntime = repoRequire("@pulumi/pulumi") as typeof pulumi;

/** The value inside an Output, as a program would see it in `apply`. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

// An issuer that reports no `expires_in` (RFC 6749 §5.1 only recommends it).
describe("getClientCredentialsToken with any standard issuer", () => {
  const exp = Math.floor(Date.parse("2030-01-01T00:00:00Z") / 1000);
  let answer: Record<string, unknown> = {};
  let issuer: http.Server;
  let tokenUrl: string;

  beforeAll(async () => {
    await pulumiRuntime.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
    issuer = http.createServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => issuer.listen(0, "127.0.0.1", resolve));
    tokenUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/oauth/token`;
  });
  afterAll(() => new Promise<void>((resolve) => issuer.close(() => resolve())));

  const request = () =>
    getClientCredentialsToken({
      tokenUrl,
      clientId: "client",
      clientSecret: "secret",
      audience: "https://api.example.com",
    });

  it("reads the expiry from the JWT's exp when the issuer sends no expires_in", async () => {
    const payload = Buffer.from(JSON.stringify({ exp })).toString("base64url");
    answer = { access_token: `eyJhbGciOiJub25lIn0.${payload}.`, token_type: "Bearer" };
    const token = await valueOf(request());
    expect(token.expiresAt).toBe("2030-01-01T00:00:00.000Z");
  });

  it("leaves the expiry out for an opaque token without expires_in", async () => {
    answer = { access_token: "opaque-token", token_type: "Bearer" };
    const token = await valueOf(request());
    expect(token).toEqual({ accessToken: "opaque-token", tokenType: "Bearer" });
  });

  it("returns a secret Output", async () => {
    answer = { access_token: "opaque-token", token_type: "Bearer", expires_in: 60 };
    expect(await pulumiRuntime.isSecret(request())).toBe(true);
  });
});
