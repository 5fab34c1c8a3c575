import type * as pulumi from "@pulumi/pulumi";
import type { OrganizationUsage, SubjectType } from "../../../sdk/wire-types";
import { DynamicResource, providerCode } from "../../shared/dynamic-resource";

/**
 * The `__provider` code of `grants:ClientGrant` in the state: it loads the implementation by package
 * name when the engine's provider process runs it, and holds no setting and no credential.
 */
export const clientGrantProviderCode = providerCode(
  "pulumi-grants/internal/provider/resources/client-grant/crud",
  "clientGrantImplementation",
);

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
  /**
   * The client's name (e.g. `deployer.name`), shown next to `clientId` in `pulumi preview --diff`
   * and used by `pulumi-grants review`. Never sent to the API; changing it is no change.
   */
  readonly clientName?: pulumi.Input<string>;
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
 *   clientName: deployer.name,
 *   audience: "https://orders.example.com",
 *   scopes: ["read:orders", "write:orders"],
 * });
 * ```
 */
export class ClientGrant extends DynamicResource {
  declare readonly clientId: pulumi.Output<string>;
  declare readonly audience: pulumi.Output<string>;
  /** Deduplicated, in the order the program declares them. Empty when `allowAllScopes` is true. */
  declare readonly scopes: pulumi.Output<string[]>;
  declare readonly allowAllScopes: pulumi.Output<boolean>;
  declare readonly organizationUsage: pulumi.Output<OrganizationUsage>;
  declare readonly allowAnyOrganization: pulumi.Output<boolean>;
  declare readonly subjectType: pulumi.Output<SubjectType>;
  declare readonly authorizationDetailsTypes: pulumi.Output<string[]>;
  /** A grant the API created itself; it cannot be changed or deleted directly. */
  declare readonly isSystem: pulumi.Output<boolean>;
  /** The `clientName` the program gave, if any. */
  declare readonly clientName: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClientGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "ClientGrant",
      clientGrantProviderCode,
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
        clientName: args.clientName,
        // Every output must be a key here, or the engine's value is dropped (pitfall §2.7).
        isSystem: undefined,
      },
      opts,
    );
  }
}
