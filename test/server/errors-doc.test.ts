import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MANAGEMENT_ERROR_CODES, OAUTH_ERROR_CODES } from "../../server/errors";

const ERRORS_DOC = readFileSync(path.resolve(__dirname, "..", "..", "docs", "errors.md"), "utf8");

/** The useGrant `code` values (one per status). */
const USEGRANT_CODES = [
  "bad_request",
  "unauthorized",
  "not_found",
  "conflict",
  "payload_too_large",
  "too_many_requests",
  "internal_server_error",
];

describe("docs/errors.md", () => {
  it.each([...MANAGEMENT_ERROR_CODES, ...OAUTH_ERROR_CODES, ...USEGRANT_CODES])(
    "documents the code %s",
    (code) => {
      expect(ERRORS_DOC).toContain(`\`${code}\``);
    },
  );
});
