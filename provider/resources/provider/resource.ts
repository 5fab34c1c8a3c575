// Each provider method loads its implementation with an inline `require` (see implementation()).
/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from "@pulumi/pulumi";
import type { providerImplementation } from "./crud";
import type { ProviderInputs, ProviderOutputs } from "./schema";

// Type only: erased from the compiled module, which must not load the implementation.
type Implementation = typeof providerImplementation;

/**
 * Loads the implementation where it runs: in the dynamic-provider process, by package name,
 * resolved from the Pulumi project's `node_modules`. Pulumi's closure serializer never captures
 * `require`, so the serialized provider holds this one line instead of a copy of our modules, and
 * `refresh`/`destroy` run the installed version rather than code frozen in state.
 */
function implementation(): Implementation {
  return require("pulumi-grants/internal/provider/resources/provider/crud").providerImplementation;
}

/**
 * The dynamic provider of `grants:Provider`: one module-level object whose methods delegate.
 * It holds no state and no credential (settings come from `configure` or the environment).
 */
export const providerDynamicProvider = {
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
} satisfies pulumi.dynamic.ResourceProvider<ProviderInputs, ProviderOutputs>;

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
 * replaces the provider, and with it the issuer URL and every client under it.
 *
 * @example
 * ```ts
 * const issuer = new Provider("ci", { name: "ci-issuer", description: "Tokens for CI jobs" });
 * export const issuerUrl = issuer.issuer;
 * ```
 */
export class Provider extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  /** The `iss` of tokens this provider signs, e.g. `http://127.0.0.1:4000/p/<id>`. */
  declare readonly issuer: pulumi.Output<string>;
  /** `<issuer>/.well-known/openid-configuration`. */
  declare readonly discoveryUrl: pulumi.Output<string>;
  /** Where relying parties fetch the public signing keys. */
  declare readonly jwksUri: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: ProviderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerDynamicProvider,
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
      },
      opts,
      "grants",
      "Provider",
    );
  }
}
