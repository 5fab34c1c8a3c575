import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/grant-server";
import { copyPolicyPack } from "../support/policy-pack";
import { projectRoot } from "../support/pulumi-engine";
import { copyPulumiProject, type PulumiProject } from "../support/pulumi-project";

// Every example runs as a user would run it: a copy of its folder, the real CLI and language
// host, the connection through the GRANTS_API_URL / GRANTS_API_TOKEN environment fallbacks.
describe("examples/", { timeout: 300_000 }, () => {
  let server: TestServer;
  const projects: PulumiProject[] = [];

  const example = (name: string) => {
    const project = copyPulumiProject(path.join(projectRoot, "examples", name), {
      env: { GRANTS_API_URL: server.url, GRANTS_API_TOKEN: server.adminToken },
    });
    projects.push(project);
    return project;
  };
  const outputsOf = async (project: PulumiProject, stack: string) =>
    JSON.parse((await project.ok(["stack", "output", "--json", "--stack", stack])).stdout);
  const management = (pathname: string, init: RequestInit = {}) =>
    fetch(`${server.url}${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
    });

  /** up → a preview that must show no changes → destroy, on one stack. */
  async function upPreviewDestroy(
    project: PulumiProject,
    stack: string,
    check: (outputs: Record<string, unknown>) => void,
  ) {
    await project.ok(["stack", "select", "--create", stack]);
    await project.ok(["up", "--yes", "--skip-preview", "--stack", stack]);
    check(await outputsOf(project, stack));
    await project.ok(["preview", "--expect-no-changes", "--stack", stack]);
    await project.ok(["destroy", "--yes", "--skip-preview", "--stack", stack]);
  }

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const project of projects) project.cleanup();
    await server?.close();
  });

  it("aws-sts-federation exports the IAM OIDC provider URL, the audience and a trust policy naming sub and aud", async () => {
    await upPreviewDestroy(example("aws-sts-federation"), "dev", (outputs) => {
      const issuer = outputs.oidcProviderUrl as string;
      expect(issuer).toMatch(new RegExp(`^${server.url}/p/[0-9a-f-]{36}$`));
      expect(outputs.audience).toBe("sts.amazonaws.com");
      const key = issuer.replace(/^https?:\/\//, "");
      const policy = JSON.parse(outputs.trustPolicy as string);
      expect(policy.Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(policy.Statement[0].Principal.Federated).toBe(
        `arn:aws:iam::123456789012:oidc-provider/${key}`,
      );
      expect(policy.Statement[0].Condition.StringEquals).toEqual({
        [`${key}:sub`]: outputs.subject,
        [`${key}:aud`]: "sts.amazonaws.com",
      });
    });
  });

  it("auth0-client-grants creates a grant per API with its scopes", async () => {
    await upPreviewDestroy(example("auth0-client-grants"), "dev", (outputs) => {
      expect(Object.keys(outputs.grantIds as object)).toHaveLength(3);
      expect(outputs.grantedScopes).toEqual({
        // In the order the program lists them.
        orders: ["orders:read", "orders:export"],
        invoices: ["invoices:read"],
        customers: ["customers:read"],
      });
    });
    expect(await (await management("/api/v2/client-grants")).json()).toEqual([]);
  });

  it("multi-environment gives dev and prod their own scopes and token lifetimes", async () => {
    const project = example("multi-environment");
    await upPreviewDestroy(project, "dev", (outputs) => {
      expect(outputs.grantedScopes).toEqual(["orders:read", "orders:write", "orders:admin"]);
      expect(outputs.tokenLifetime).toBe(3600);
    });
    await upPreviewDestroy(project, "prod", (outputs) => {
      expect(outputs.grantedScopes).toEqual(["orders:read"]);
      expect(outputs.tokenLifetime).toBe(900);
    });
  });

  it("private-key-jwt gets a 5-minute token by signing an assertion with the client's private key", async () => {
    const project = example("private-key-jwt");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const privateJwk = JSON.stringify(privateKey.export({ format: "jwk" }));
    await project.ok(["stack", "select", "--create", "dev"]);
    await project.ok([
      "config",
      "set",
      "--secret",
      "--stack",
      "dev",
      "clientPrivateKey",
      privateJwk,
    ]);
    await project.ok(["up", "--yes", "--skip-preview", "--stack", "dev"]);
    const outputs = await outputsOf(project, "dev");
    expect(outputs).toMatchObject({
      authMethod: "private_key_jwt",
      tokenLifetime: 300,
      tokenScopes: ["reports:read"],
    });
    await project.ok(["preview", "--expect-no-changes", "--stack", "dev"]);
    const state = (await project.ok(["stack", "export", "--stack", "dev"])).stdout;
    expect(state).not.toContain(JSON.parse(privateJwk).d);
    await project.ok(["destroy", "--yes", "--skip-preview", "--stack", "dev"]);
  });

  it("gitops's policy step passes, and its drift check exits 0 on a clean stack and non-zero after an out-of-band change", async () => {
    const project = example("gitops");
    const driftCheck = ["preview", "--refresh", "--expect-no-changes", "--diff", "--stack", "prod"];
    await project.ok(["stack", "select", "--create", "prod"]);
    // The pull-request job's policy step (preview.yml) passes the example program.
    const pack = copyPolicyPack();
    try {
      const policies = await project.run(["preview", "--policy-pack", pack.dir, "--stack", "prod"]);
      expect(policies.code, policies.stdout + policies.stderr).toBe(0);
      expect(policies.stdout).toMatch(/^\s*✅ pulumi-grants@v0\.1\.0 \(local: /m);
    } finally {
      pack.cleanup();
    }
    await project.ok(["up", "--yes", "--skip-preview", "--stack", "prod"]);

    expect((await project.run(driftCheck)).code).toBe(0);

    // Someone adds a scope in a dashboard.
    const { grantId } = await outputsOf(project, "prod");
    const patched = await management(`/api/v2/client-grants/${grantId}`, {
      method: "PATCH",
      body: JSON.stringify({ scope: ["artifacts:read", "artifacts:publish", "artifacts:delete"] }),
    });
    expect(patched.status).toBe(200);

    const drifted = await project.run(driftCheck);
    expect(drifted.code).not.toBe(0);
    expect(drifted.stdout).toContain("artifacts:delete");

    await project.ok(["destroy", "--yes", "--skip-preview", "--stack", "prod"]);
  });
});
