// Each provider method loads its implementation with an inline `require` (see implementation()).
/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from "@pulumi/pulumi";
import type { clientGrantImplementation } from "./crud";
import type { OrganizationUsage, SubjectType } from "../../../sdk/schemas/client-grant";
import type { ClientGrantInputs, ClientGrantOutputs } from "./schema";

// Type only: erased from the compiled module, which must not load the implementation.
type Implementation = typeof clientGrantImplementation;

/**
 * Loads the implementation in the dynamic-provider process, by package name; `require` is never
 * captured by Pulumi's closure serializer (see provider/resources/provider/resource.ts).
 */
function implementation(): Implementation {
  return require("pulumi-grants/internal/provider/resources/client-grant/crud")
    .clientGrantImplementation;
}

/** The dynamic provider of `grants:ClientGrant`: stateless, delegating, credential-free. */
export const clientGrantDynamicProvider = {
  async configure(request) {
    return implementation().configure(request);
  },
  async check(olds, news) {
    return implementation().check(olds, news);
  },
  async diff(id, olds, news) {
    return implementation().diff(id, olds, news);
  },
  async create(inputs) {
    return implementation().create(inputs);
  },
  async read(id, props) {
    return implementation().read(id, props);
  },
  async update(id, olds, news) {
    return implementation().update(id, olds, news);
  },
  async delete(id, props) {
    return implementation().delete(id, props);
  },
} satisfies pulumi.dynamic.ResourceProvider<ClientGrantInputs, ClientGrantOutputs>;

/** The arguments of {@link ClientGrant}. Optional inputs default to the API's defaults. */
export interface ClientGrantArgs {
  /** The `id` of the {@link Client} being granted access. Changing it replaces the grant. */
  readonly clientId: pulumi.Input<string>;
  /** The API (resource server identifier) the client may call. Changing it replaces the grant. */
  readonly audience: pulumi.Input<string>;
  /** Scopes the client may request, each 1–280 characters; a set (order is ignored). Default `[]`. */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Allow every scope of the API; cannot be combined with `scopes`. Default `false`. */
  readonly allowAllScopes?: pulumi.Input<boolean>;
  /** How tokens relate to organizations: `deny`, `allow` or `require`. Default `deny`. */
  readonly organizationUsage?: pulumi.Input<OrganizationUsage>;
  /** Whether any organization may be used (not only assigned ones). Default `false`. */
  readonly allowAnyOrganization?: pulumi.Input<boolean>;
  /** `client` (machine-to-machine) or `user`. Changing it replaces the grant. Default `client`. */
  readonly subjectType?: pulumi.Input<SubjectType>;
  /** Rich authorization request types (RFC 9396), each 1–255 characters. Default `[]`. */
  readonly authorizationDetailsTypes?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * A client grant (Auth0 Management API shape): which API a client may get tokens for, and with
 * which scopes. Scopes and organization settings update in place; a new client, audience or
 * subject type replaces the grant.
 *
 * Creating a grant that already exists for the same (client, audience, subject type) adopts it
 * instead of failing with 409, and logs a warning; this is also how to bring an existing grant
 * under management, as `pulumi import` does not work for dynamic resources.
 *
 * @example
 * ```ts
 * new ClientGrant("deployer-orders", {
 *   clientId: deployer.id,
 *   audience: "https://orders.example.com",
 *   scopes: ["read:orders", "write:orders"],
 * });
 * ```
 */
export class ClientGrant extends pulumi.dynamic.Resource {
  declare readonly clientId: pulumi.Output<string>;
  declare readonly audience: pulumi.Output<string>;
  /** Sorted and deduplicated. Empty when `allowAllScopes` is true. */
  declare readonly scopes: pulumi.Output<string[]>;
  declare readonly allowAllScopes: pulumi.Output<boolean>;
  declare readonly organizationUsage: pulumi.Output<OrganizationUsage>;
  declare readonly allowAnyOrganization: pulumi.Output<boolean>;
  declare readonly subjectType: pulumi.Output<SubjectType>;
  declare readonly authorizationDetailsTypes: pulumi.Output<string[]>;
  /** A grant the API created itself; it cannot be changed or deleted directly. */
  declare readonly isSystem: pulumi.Output<boolean>;

  constructor(name: string, args: ClientGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      clientGrantDynamicProvider,
      name,
      {
        // Unknown keys too (a typo in a JavaScript program), so `check` can reject them.
        ...args,
        clientId: args.clientId,
        audience: args.audience,
        scopes: args.scopes,
        allowAllScopes: args.allowAllScopes,
        organizationUsage: args.organizationUsage,
        allowAnyOrganization: args.allowAnyOrganization,
        subjectType: args.subjectType,
        authorizationDetailsTypes: args.authorizationDetailsTypes,
        // Every output must be a key here, or the engine's value is dropped (pitfall §2.7).
        isSystem: undefined,
      },
      opts,
      "grants",
      "ClientGrant",
    );
  }
}
