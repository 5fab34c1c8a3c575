import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthSchema } from "../../sdk/schemas/error-body";
import { startTestServer } from "../support/grant-server";
import type { TestServer } from "../support/grant-server";

describe("GET /healthz", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers ok without a token", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(healthSchema.parse(await response.json())).toEqual({ status: "ok" });
  });

  it("answers an unknown route with a 404 in the useGrant dialect", async () => {
    const response = await fetch(`${server.url}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: "not_found",
      message: "No route for GET /v1/nothing-here",
    });
  });
});
