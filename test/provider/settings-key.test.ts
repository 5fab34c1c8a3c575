import { describe, expect, it } from "vitest";
import { nevisMetaKey } from "../../provider/shared/settings-key";

// What a provider process keeps (probe answers) is keyed by the API and credential it was learnt
// with; two different credentials must never share a key.

describe("settings keys", () => {
  it("keeps two nevisMeta credentials apart whose username and password join to the same text", () => {
    const url = "http://127.0.0.1:4000/nevismeta/rest";
    const first = nevisMetaKey({
      nevisMetaUrl: url,
      nevisMetaUsername: "ops:admin",
      nevisMetaPassword: "secret",
    });
    const second = nevisMetaKey({
      nevisMetaUrl: url,
      nevisMetaUsername: "ops",
      nevisMetaPassword: "admin:secret",
    });
    expect(first).not.toBe(second);
  });
});
