import { describe, expectTypeOf, it } from "vitest";
import type { ClientArgs, ClientGrantArgs, ProviderArgs } from "../../provider/index";
import type { ClientGrantInputs } from "../../provider/resources/client-grant/schema";
import type { ClientInputs } from "../../provider/resources/client/schema";
import type { ProviderInputs } from "../../provider/resources/provider/schema";

// The *Args interfaces are written out for their docs; these checks (enforced by
// `tsc -p tsconfig.test.json`) keep them from drifting away from the zod input schemas.
describe("the exported argument types", () => {
  it("name exactly the inputs each schema validates", () => {
    expectTypeOf<keyof ProviderArgs>().toEqualTypeOf<keyof ProviderInputs>();
    expectTypeOf<keyof ClientArgs>().toEqualTypeOf<keyof ClientInputs>();
    expectTypeOf<keyof ClientGrantArgs>().toEqualTypeOf<keyof ClientGrantInputs>();
  });

  it("accept the values the schemas accept", () => {
    expectTypeOf<ClientGrantInputs["organizationUsage"]>().toExtend<
      NonNullable<ClientGrantArgs["organizationUsage"]>
    >();
    expectTypeOf<ClientGrantInputs["subjectType"]>().toExtend<
      NonNullable<ClientGrantArgs["subjectType"]>
    >();
  });
});
