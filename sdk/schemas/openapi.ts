import { z } from "zod";

/** The outline of an OpenAPI 3.1 document (`GET /openapi.json`); the rest is kept as sent. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().startsWith("3.1"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;
