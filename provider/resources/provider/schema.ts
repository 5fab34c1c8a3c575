import { z } from "zod";
import { providerDescriptionSchema, providerNameSchema } from "../../../sdk/schemas/provider";

/** The inputs of `grants:Provider`, validated in `check` with the wire contract's own rules. */
export const providerInputsSchema = z.strictObject({
  name: providerNameSchema,
  description: providerDescriptionSchema,
});
export type ProviderInputs = z.infer<typeof providerInputsSchema>;

/** What `check` returns: the inputs, plus `backend: "auth0"` when the Provider is a tenant. */
export type CheckedProviderInputs = ProviderInputs & { backend?: "auth0" };

/** What `grants:Provider` stores in state: its inputs plus what the server assigned. */
export const providerOutputsSchema = z.object({
  name: z.string(),
  description: z.string(),
  issuer: z.string().optional(),
  discoveryUrl: z.string().optional(),
  jwksUri: z.string().optional(),
  createdAt: z.string().optional(),
  /** `auth0`: the Provider is the Auth0 tenant; absent: a useGrant provider. */
  backend: z.literal("auth0").optional(),
});
export type ProviderOutputs = z.infer<typeof providerOutputsSchema>;

export const providerInputKeys = [
  "name",
  "description",
] as const satisfies readonly (keyof ProviderInputs)[];

/**
 * The useGrant API has no update endpoint for providers, so every input forces replacement.
 */
export const providerReplaceKeys = providerInputKeys;

/** A tenant's name and description are this program's labels: they change in place. */
export const tenantProviderReplaceKeys = ["backend"] as const;
