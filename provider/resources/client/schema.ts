import { z } from "zod";
import { clientAudienceSchema, clientNameSchema } from "../../../sdk/schemas/client";

/** The inputs of `grants:Client`, validated in `check` with the wire contract's own rules. */
export const clientInputsSchema = z.strictObject({
  providerId: z.string().min(1, "providerId must not be empty"),
  name: clientNameSchema,
  audience: clientAudienceSchema,
});
export type ClientInputs = z.infer<typeof clientInputsSchema>;

/** What `grants:Client` stores in state. `clientSecret` is marked secret by the resource class. */
export const clientOutputsSchema = z.object({
  providerId: z.string(),
  name: z.string(),
  audience: z.string(),
  subject: z.string().optional(),
  issuer: z.string().optional(),
  tokenEndpoint: z.string().optional(),
  clientSecret: z.string().optional().meta({ secret: true }),
  createdAt: z.string().optional(),
});
export type ClientOutputs = z.infer<typeof clientOutputsSchema>;

export const clientInputKeys = [
  "providerId",
  "name",
  "audience",
] as const satisfies readonly (keyof ClientInputs)[];

/**
 * The useGrant API has no update endpoint for clients, so every input forces replacement (and a
 * replacement client gets a new id and a new secret).
 */
export const clientReplaceKeys = clientInputKeys;
