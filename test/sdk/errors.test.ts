import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import {
  GRANTS_CONFLICT,
  GRANTS_ERROR_CODES,
  GRANTS_FORBIDDEN,
  GRANTS_INVALID_RESPONSE,
  GRANTS_NOT_FOUND,
  GRANTS_RATE_LIMITED,
  GRANTS_SERVER,
  GRANTS_UNAUTHORIZED,
  GRANTS_VALIDATION,
  GrantsError,
  isGrantsError,
} from "../../sdk";
import { errorCodeForStatus, redactUrl } from "../../sdk/errors";

describe("GrantsError", () => {
  it.each([
    [400, GRANTS_VALIDATION],
    [413, GRANTS_VALIDATION],
    [422, GRANTS_VALIDATION],
    [401, GRANTS_UNAUTHORIZED],
    [403, GRANTS_FORBIDDEN],
    [404, GRANTS_NOT_FOUND],
    [409, GRANTS_CONFLICT],
    [429, GRANTS_RATE_LIMITED],
    [500, GRANTS_SERVER],
    [502, GRANTS_SERVER],
    [503, GRANTS_SERVER],
    [302, GRANTS_INVALID_RESPONSE],
  ])("maps status %i to %s", (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });

  it("has exactly the ten documented codes", () => {
    expect([...GRANTS_ERROR_CODES].sort()).toEqual(
      [
        "GRANTS_CONFLICT",
        "GRANTS_FORBIDDEN",
        "GRANTS_INVALID_RESPONSE",
        "GRANTS_NETWORK",
        "GRANTS_NOT_FOUND",
        "GRANTS_RATE_LIMITED",
        "GRANTS_SERVER",
        "GRANTS_TIMEOUT",
        "GRANTS_UNAUTHORIZED",
        "GRANTS_VALIDATION",
      ].sort(),
    );
  });

  it("is recognised by isGrantsError and instanceof, optionally by code", () => {
    const error = new GrantsError("x", { code: GRANTS_NOT_FOUND, method: "GET", url: "http://h/" });
    expect(isGrantsError(error)).toBe(true);
    expect(isGrantsError(error, GRANTS_NOT_FOUND)).toBe(true);
    expect(isGrantsError(error, GRANTS_CONFLICT)).toBe(false);
    expect(error).toBeInstanceOf(GrantsError);
    expect(error).toBeInstanceOf(Error);
    expect(isGrantsError(new Error("x"))).toBe(false);
    expect(isGrantsError({ code: GRANTS_NOT_FOUND })).toBe(false);
    expect(isGrantsError(null)).toBe(false);
  });

  it("is recognised across two copies of the module", async () => {
    vi.resetModules();
    const copy = await import("../../sdk/errors");
    expect(copy.GrantsError).not.toBe(GrantsError);
    const foreign = new copy.GrantsError("x", {
      code: GRANTS_SERVER,
      method: "GET",
      url: "http://h/",
    });
    expect(isGrantsError(foreign, GRANTS_SERVER)).toBe(true);
    expect(foreign instanceof GrantsError).toBe(true);
    const local = new GrantsError("x", { code: GRANTS_SERVER, method: "GET", url: "http://h/" });
    expect(copy.isGrantsError(local)).toBe(true);
  });

  it("redacts credentials and secret-looking query values from the url it keeps", () => {
    const error = new GrantsError("boom", {
      code: GRANTS_SERVER,
      method: "GET",
      url: "https://user:pa55@h.example/x?client_secret=s3cr3t&access_token=t0k3n&audience=api#frag",
    });
    const everything = `${error.url} ${String(error)} ${JSON.stringify(error)} ${inspect(error)}`;
    expect(everything).not.toMatch(/s3cr3t|t0k3n|pa55|user/);
    expect(error.url).toBe(
      "https://h.example/x?client_secret=%5BREDACTED%5D&access_token=%5BREDACTED%5D&audience=api",
    );
    expect(redactUrl("not a url")).toBe("[invalid url]");
  });

  it("serializes to a plain summary with its code", () => {
    const error = new GrantsError("GET x answered 404", {
      code: GRANTS_NOT_FOUND,
      method: "GET",
      url: "http://h/x",
      status: 404,
      body: { code: "not_found", message: "Provider not found" },
      requestId: "req-1",
      attempts: 1,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "GrantsError",
      code: GRANTS_NOT_FOUND,
      message: "GET x answered 404",
      method: "GET",
      url: "http://h/x",
      status: 404,
      requestId: "req-1",
      attempts: 1,
      body: { code: "not_found", message: "Provider not found" },
    });
  });
});
