import { z } from "zod";
import { resourceIdSchema, strictText, timestampSchema } from "./common";

export const clientNameSchema = strictText(
  z
    .string()
    .min(3, "Name must be at least 3 characters long")
    .max(50, "Name must be less than 50 characters long"),
);

export const clientAudienceSchema = strictText(
  z
    .string()
    .min(3, "Audience must be at least 3 characters long")
    .max(100, "Audience must be less than 100 characters long"),
);

/** `POST /v1/providers/{providerId}/clients` body. */
export const createClientRequestSchema = z.strictObject({
  name: clientNameSchema,
  audience: clientAudienceSchema,
});
export type CreateClientRequest = z.infer<typeof createClientRequestSchema>;

/**
 * A machine client of a provider. `subject` becomes the `sub` claim of its tokens; the hosted
 * useGrant SDK does not list it, so it is optional on receipt.
 */
export const clientSchema = z.object({
  id: resourceIdSchema,
  name: z.string(),
  audience: z.string(),
  subject: z.string().optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Client = z.infer<typeof clientSchema>;

/** The create response: the only place the client secret is ever shown. */
export const createdClientSchema = clientSchema.extend({
  clientSecret: z.string().optional(),
});
export type CreatedClient = z.infer<typeof createdClientSchema>;

export const clientListSchema = z.array(clientSchema);
