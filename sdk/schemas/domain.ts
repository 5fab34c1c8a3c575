import { z } from "zod";
import { resourceIdSchema, timestampSchema } from "./common";

// Rules and messages as the useGrant SDK applies them, in the same order.
export const domainNameSchema = z
  .string({ error: "Please enter a domain name." })
  .regex(
    /^(?!:\/\/)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,}$/,
    "Please enter a valid domain name.",
  )
  .regex(/^(?!www\.)/, "Domain name cannot start with www.")
  .min(3, "Domain name must be at least 3 characters long.")
  .max(255, "Domain name must be less than 255 characters long.");

/** `POST /v1/providers/{providerId}/domains` body. */
export const createDomainRequestSchema = z.strictObject({ domain: domainNameSchema });
export type CreateDomainRequest = z.infer<typeof createDomainRequestSchema>;

/**
 * A custom domain. `verificationRecord` (grant-server extension) names the DNS TXT record and
 * value that prove ownership.
 */
export const domainSchema = z.object({
  id: resourceIdSchema,
  domain: z.string(),
  verified: z.boolean(),
  verifiedAt: timestampSchema.optional(),
  verificationRecord: z
    .object({ type: z.literal("TXT"), name: z.string(), value: z.string() })
    .optional(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Domain = z.infer<typeof domainSchema>;

export const domainListSchema = z.array(domainSchema);

/** `POST .../domains/{domainId}/verify` answer: 200 whether or not the check passed. */
export const domainVerificationSchema = z.object({
  domain: domainSchema,
  verified: z.boolean(),
  message: z.string(),
});
export type DomainVerification = z.infer<typeof domainVerificationSchema>;
