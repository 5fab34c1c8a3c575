import type * as pulumi from "@pulumi/pulumi";
import { DynamicResource, providerCode } from "../../shared/dynamic-resource";

/**
 * The `__provider` code of `grants:Provider` in the state: it loads the implementation by package
 * name when the engine's provider process runs it, and holds no setting and no credential.
 */
export const providerProviderCode = providerCode(
  "pulumi-grants/internal/provider/resources/provider/crud",
  "providerImplementation",
);

/** The arguments of {@link Provider}. */
export interface ProviderArgs {
  /** Display name, 3–50 characters. Changing it replaces the provider. */
  readonly name: pulumi.Input<string>;
  /** What the provider is for, 1–100 characters. Changing it replaces the provider. */
  readonly description: pulumi.Input<string>;
}

/**
 * A provider: an OIDC token issuer on the grant server (or the hosted useGrant API), with its own
 * signing keys, discovery document and JWKS. The API has no update, so changing any input
 * replaces the provider, and with it the issuer URL and every client under it. On
 * `grants:backend auth0` it stands for the tenant, which is the issuer there: nothing is
 * created or deleted, and its name and description are labels that change in place.
 *
 * @example
 * ```ts
 * const issuer = new Provider("ci", { name: "ci-issuer", description: "Tokens for CI jobs" });
 * export const issuerUrl = issuer.issuer;
 * ```
 */
export class Provider extends DynamicResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  /** The `iss` of tokens this provider signs, e.g. `http://127.0.0.1:4000/p/<id>`. */
  declare readonly issuer: pulumi.Output<string>;
  /** `<issuer>/.well-known/openid-configuration`. */
  declare readonly discoveryUrl: pulumi.Output<string>;
  /** Where relying parties fetch the public signing keys. */
  declare readonly jwksUri: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** `auth0` when the Provider stands for the Auth0 tenant (`grants:backend auth0`). */
  declare readonly backend: pulumi.Output<"auth0" | undefined>;

  constructor(name: string, args: ProviderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "Provider",
      providerProviderCode,
      name,
      {
        // Unknown keys too (a typo in a JavaScript program), so `check` can reject them.
        ...args,
        name: args.name,
        description: args.description,
        // Every output must be a key here, or the engine's value is dropped (pitfall §2.7).
        issuer: undefined,
        discoveryUrl: undefined,
        jwksUri: undefined,
        createdAt: undefined,
        backend: undefined,
      },
      opts,
    );
  }
}
