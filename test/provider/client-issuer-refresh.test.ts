import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clearConfiguredSettings } from "../../provider/config";
import { clientImplementation } from "../../provider/resources/client/crud";
import type { ClientOutputs } from "../../provider/resources/client/schema";
import { providerImplementation } from "../../provider/resources/provider/crud";
import { startTestServer } from "../support/grant-server";
import { clearGrantsEnvironment, configureRequest } from "../support/provider-config";

const configureFor = (server: { url: string; adminToken: string }) =>
  providerImplementation.configure(
    configureRequest({ "grants:apiUrl": server.url, "grants:apiToken": server.adminToken }),
  );

afterEach(() => clearConfiguredSettings());

describe("grants:Client refresh", () => {
  it("reads the issuer and token endpoint again after the server moved to another address", async () => {
    clearGrantsEnvironment();
    const dataDir = await mkdtemp(path.join(tmpdir(), "grants-moving-"));
    const first = await startTestServer({ dataDir });
    await configureFor(first);
    const provider = await providerImplementation.create({ name: "moving", description: "moves" });
    const client = await clientImplementation.create({
      providerId: provider.id,
      name: "mover",
      audience: "https://api.example.test",
    });
    const outs = client.outs as ClientOutputs;
    expect(outs.tokenEndpoint).toBe(`${first.url}/p/${provider.id}/oauth/token`);

    // Same data, new port: the issuer URL every token carries has changed.
    await first.close();
    const second = await startTestServer({ dataDir, adminToken: first.adminToken });
    try {
      await configureFor(second);
      const read = await clientImplementation.read(client.id, outs);
      expect(read.props?.issuer).toBe(`${second.url}/p/${provider.id}`);
      expect(read.props?.tokenEndpoint).toBe(`${second.url}/p/${provider.id}/oauth/token`);
      expect(read.props?.clientSecret).toBe(outs.clientSecret);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
