import { z } from "zod";
import { providerDescriptionSchema, providerNameSchema } from "../../../sdk/schemas/provider";

/** The inputs of `grants:Provider`, validated in `check` with the wire contract's own rules. */
export const providerInputsSchema = z.strictObject({
  name: providerNameSchema,
  description: providerDescriptionSchema,
});
export type ProviderInputs = z.infer<typeof providerInputsSchema>;

/** What `grants:Provider` stores in state: its inputs plus what the server assigned. */
export const providerOutputsSchema = z.object({
  name: z.string(),
  description: z.string(),
  issuer: z.string().optional(),
  discoveryUrl: z.string().optional(),
  jwksUri: z.string().optional(),
  createdAt: z.string().optional(),
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
