import { z } from "zod";

/** useGrant dialect error body (`/v1`). */
export const useGrantErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type UseGrantErrorBody = z.infer<typeof useGrantErrorBodySchema>;

/** Auth0 Management dialect error body (`/api/v2`); `errorCode` is absent on some endpoints. */
export const auth0ErrorBodySchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  errorCode: z.string().optional(),
});
export type Auth0ErrorBody = z.infer<typeof auth0ErrorBodySchema>;

/** `GET /healthz`. */
export const healthSchema = z.object({ status: z.literal("ok") });
