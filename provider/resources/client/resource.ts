import * as pulumi from "@pulumi/pulumi";
import type { ClientInputs, ClientOutputs } from "./schema";
import { delegatingProvider } from "../../shared/delegating-provider";

/**
 * The dynamic provider of `grants:Client`: one module-level object, stateless and
 * credential-free, that loads the implementation by package name when a method runs.
 */
export const clientDynamicProvider = delegatingProvider<ClientInputs, ClientOutputs>(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require("pulumi-grants/internal/provider/resources/client/crud").clientImplementation,
);

/** The arguments of {@link Client}. */
export interface ClientArgs {
  /** The id of the {@link Provider} that issues this client's tokens. Changing it replaces the client. */
  readonly providerId: pulumi.Input<string>;
  /** Display name, 3–50 characters. Changing it replaces the client. */
  readonly name: pulumi.Input<string>;
  /** The `aud` of its tokens, 3–100 characters (e.g. `sts.amazonaws.com`). Changing it replaces the client. */
  readonly audience: pulumi.Input<string>;
}

/**
 * A machine client of a provider. Its secret is shown once, at creation; it is kept in state as a
 * Pulumi secret (always: the constructor adds `additionalSecretOutputs: ["clientSecret"]`).
 * The API has no update, so any input change replaces the client, with a new id and secret.
 *
 * @example
 * ```ts
 * const deployer = new Client("deployer", {
 *   providerId: issuer.id,
 *   name: "deployer",
 *   audience: "https://api.example.com",
 * });
 * ```
 */
export class Client extends pulumi.dynamic.Resource {
  declare readonly providerId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly audience: pulumi.Output<string>;
  /** The `sub` claim of this client's tokens. */
  declare readonly subject: pulumi.Output<string>;
  /** The provider's issuer URL. */
  declare readonly issuer: pulumi.Output<string>;
  /** `<issuer>/oauth/token`, for the client_credentials grant. */
  declare readonly tokenEndpoint: pulumi.Output<string>;
  /** The client secret; always a Pulumi secret. */
  declare readonly clientSecret: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: ClientArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      clientDynamicProvider,
      name,
      {
        // Unknown keys too (a typo in a JavaScript program), so `check` can reject them.
        ...args,
        providerId: args.providerId,
        name: args.name,
        audience: args.audience,
        // Every output must be a key here, or the engine's value is dropped (pitfall §2.7).
        subject: undefined,
        issuer: undefined,
        tokenEndpoint: undefined,
        clientSecret: undefined,
        createdAt: undefined,
      },
      withSecretClientSecret(opts),
      "grants",
      "Client",
    );
  }
}

/**
 * New output keys are not secret unless the engine is told (reference §1, "Secrets flow"); the
 * caller's own `additionalSecretOutputs` are kept.
 */
function withSecretClientSecret(opts: pulumi.CustomResourceOptions | undefined) {
  const secrets = new Set(opts?.additionalSecretOutputs ?? []);
  secrets.add("clientSecret");
  return { ...opts, additionalSecretOutputs: [...secrets] };
}
