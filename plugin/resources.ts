import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { clientImplementation } from "../provider/resources/client/crud";
import { clientInputsSchema, clientOutputsSchema } from "../provider/resources/client/schema";
import { clientGrantImplementation } from "../provider/resources/client-grant/crud";
import {
  clientGrantInputsSchema,
  clientGrantOutputsSchema,
} from "../provider/resources/client-grant/schema";
import { providerImplementation } from "../provider/resources/provider/crud";
import { providerInputsSchema, providerOutputsSchema } from "../provider/resources/provider/schema";

/** The same implementations the dynamic resources run, typed loosely for dispatch by token. */
type Implementation = Required<pulumi.dynamic.ResourceProvider<never, never>>;

/** One resource of the native package: its token, its zod contract and its implementation. */
export interface NativeResource {
  readonly token: string;
  readonly description: string;
  readonly inputs: z.ZodObject;
  readonly outputs: z.ZodObject;
  readonly implementation: Implementation;
  /**
   * The id `pulumi import` takes → the resource id and the state `read` needs. Most kinds are
   * read by their own id; a client lives under its provider, so its import id names both.
   */
  readonly importId?: {
    readonly format: string;
    parse(importId: string): { id: string; props: Record<string, unknown> } | undefined;
  };
}

const implementation = (value: object) => value as Implementation;

export const nativeResources: readonly NativeResource[] = [
  {
    token: "grants:index:Provider",
    description:
      "An OIDC issuer (a useGrant provider): its issuer URL, discovery document and JWKS. " +
      "The API has no update, so any input change replaces it. Import id: the provider id.",
    inputs: providerInputsSchema,
    outputs: providerOutputsSchema,
    implementation: implementation(providerImplementation),
  },
  {
    token: "grants:index:Client",
    description:
      "A machine client of a provider. Its secret is shown once, at creation, and kept in state " +
      "as a secret; an imported client has no secret in state. Any input change replaces the " +
      "client. Import id: `<providerId>/<clientId>`.",
    inputs: clientInputsSchema,
    outputs: clientOutputsSchema,
    implementation: implementation(clientImplementation),
    importId: {
      format: "<providerId>/<clientId>",
      parse(importId) {
        const match = /^([^/]+)\/([^/]+)$/.exec(importId);
        if (match === null) return undefined;
        return { id: match[2] as string, props: { providerId: match[1] } };
      },
    },
  },
  {
    token: "grants:index:ClientGrant",
    description:
      "A client grant (Auth0 Management API shape): which scopes of which audience a client " +
      "may request. Scope and organization settings update in place; client, audience and " +
      "subject type replace it. Import id: the grant id.",
    inputs: clientGrantInputsSchema,
    outputs: clientGrantOutputsSchema,
    implementation: implementation(clientGrantImplementation),
  },
];

/** The top-level output keys the zod contract marks `.meta({ secret: true })`. */
export function secretKeysOf(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => (field as z.ZodType).meta()?.["secret"] === true)
    .map(([key]) => key);
}
