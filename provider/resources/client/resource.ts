import type * as pulumi from "@pulumi/pulumi";
import { DynamicResource, providerCode } from "../../shared/dynamic-resource";

/**
 * The `__provider` code of `grants:Client` in the state: it loads the implementation by package
 * name when the engine's provider process runs it, and holds no setting and no credential.
 */
export const clientProviderCode = providerCode(
  "pulumi-grants/internal/provider/resources/client/crud",
  "clientImplementation",
);

/** Grant types of a client (RFC 7591 §2). */
export type ClientGrantTypeName =
  | "authorization_code"
  | "implicit"
  | "refresh_token"
  | "client_credentials"
  | "password"
  | "urn:ietf:params:oauth:grant-type:jwt-bearer"
  | "urn:ietf:params:oauth:grant-type:saml2-bearer"
  | "urn:ietf:params:oauth:grant-type:device_code"
  | "urn:ietf:params:oauth:grant-type:token-exchange"
  | "urn:openid:params:grant-type:ciba";

/** How a client authenticates at the token endpoint. */
export type ClientTokenEndpointAuthMethod =
  "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";

/** A public JWK (RFC 7517): `kty` and the public members; private members are refused. */
export interface ClientPublicJwk {
  readonly kty: "RSA" | "EC" | "OKP";
  readonly kid?: string;
  readonly use?: "sig";
  readonly alg?: string;
  readonly [member: string]: unknown;
}

/**
 * The arguments of {@link Client}. The OAuth metadata inputs (everything after `audience`) need
 * `grants:backend nevis` (the useGrant API has no such fields); on that backend they update in
 * place, and unset ones take the nevisMeta setup defaults (docs/resources.md). On
 * `grants:backend auth0` a Client is an Auth0 application: `grantTypes`,
 * `tokenEndpointAuthMethod`, `idTokenTtlSeconds` and the Auth0-only inputs at the end apply, all
 * in place (docs/backends.md).
 */
export interface ClientArgs {
  /** The id of the {@link Provider} (nevisMeta: the setup) that issues this client's tokens. Changing it replaces the client. */
  readonly providerId: pulumi.Input<string>;
  /** Display name, 3–50 characters. useGrant: changing it replaces the client; nevisMeta: in place. */
  readonly name: pulumi.Input<string>;
  /** useGrant only (required there): the `aud` of its minted tokens, 3–100 characters. Changing it replaces the client. */
  readonly audience?: pulumi.Input<string>;
  /** @default ["client_credentials"] */
  readonly grantTypes?: pulumi.Input<pulumi.Input<ClientGrantTypeName>[]>;
  readonly responseTypes?: pulumi.Input<
    pulumi.Input<
      | "code"
      | "token"
      | "id_token"
      | "code id_token"
      | "code token"
      | "id_token token"
      | "code id_token token"
      | "none"
    >[]
  >;
  readonly redirectUris?: pulumi.Input<pulumi.Input<string>[]>;
  /** @default "client_secret_basic" ("none" for a public client) */
  readonly tokenEndpointAuthMethod?: pulumi.Input<ClientTokenEndpointAuthMethod>;
  /** The client's public keys (a JWK Set of 1–10 keys); required for `private_key_jwt`. */
  readonly jwks?: pulumi.Input<{ readonly keys: readonly ClientPublicJwk[] }>;
  readonly jwksUri?: pulumi.Input<string>;
  /** Lifetime of its access tokens in seconds. @default 3600 */
  readonly accessTokenTtlSeconds?: pulumi.Input<number>;
  /** @default 15552000 */
  readonly refreshTokenTtlSeconds?: pulumi.Input<number>;
  /** @default 3600 */
  readonly idTokenTtlSeconds?: pulumi.Input<number>;
  /** @default 31104000 */
  readonly persistedConsentTtlSeconds?: pulumi.Input<number>;
  /** The scopes the client may ever obtain, whatever its grants say; unset: no such bound. */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** @default "confidential" ("public" with method none) */
  readonly confidentialityType?: pulumi.Input<"public" | "confidential">;
  readonly pkceMode?: pulumi.Input<"allowed" | "required" | "S256-required">;
  /** ISO-8601 date-time with offset; before it the client gets no tokens. */
  readonly validFrom?: pulumi.Input<string>;
  readonly owner?: pulumi.Input<string>;
  readonly comment?: pulumi.Input<string>;
  readonly contacts?: pulumi.Input<pulumi.Input<string>[]>;
  readonly clientUri?: pulumi.Input<string>;
  readonly logoUri?: pulumi.Input<string>;
  readonly policyUri?: pulumi.Input<string>;
  readonly tosUri?: pulumi.Input<string>;
  /** nevisMeta's localized metadata entries. */
  readonly metadata?: pulumi.Input<
    { readonly name: string; readonly locale?: string; readonly value: string }[]
  >;
  readonly idTokenSignedResponseAlg?: pulumi.Input<
    "RS256" | "RS384" | "RS512" | "ES256" | "ES256K" | "ES384" | "ES512"
  >;
  readonly idTokenEncryptedResponseAlg?: pulumi.Input<
    | "RSA1_5"
    | "RSA-OAEP"
    | "RSA-OAEP-256"
    | "ECDH-ES"
    | "ECDH-ES+A128KW"
    | "ECDH-ES+A192KW"
    | "ECDH-ES+A256KW"
  >;
  readonly idTokenEncryptedResponseEnc?: pulumi.Input<
    "A128CBC-HS256" | "A192CBC-HS384" | "A256CBC-HS512" | "A128GCM" | "A192GCM" | "A256GCM"
  >;
  readonly requirePushedAuthorizationRequests?: pulumi.Input<boolean>;
  readonly forceReauthentication?: pulumi.Input<boolean>;
  readonly notSentGrantType?: pulumi.Input<boolean>;
  /** Auth0 only: what the application is for, at most 140 characters. In place. */
  readonly description?: pulumi.Input<string>;
  /** Auth0 only: the application type. @default "non_interactive" (machine to machine) */
  readonly appType?: pulumi.Input<
    | "native"
    | "spa"
    | "regular_web"
    | "non_interactive"
    | "resource_server"
    | "express_configuration"
    | "b2b_integration"
    | "sso_integration"
  >;
  /** Auth0 only: `client_metadata`, at most 10 string values. In place. */
  readonly clientMetadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Auth0 only. @default true */
  readonly isFirstParty?: pulumi.Input<boolean>;
  /**
   * Auth0 only: change it (e.g. 1 → 2) to rotate the secret in place: the application keeps its
   * id, `clientSecret` becomes the new secret, and the old one stops working at once.
   */
  readonly secretVersion?: pulumi.Input<number>;
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
export class Client extends DynamicResource {
  declare readonly providerId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** useGrant clients only. */
  declare readonly audience: pulumi.Output<string | undefined>;
  /** `nevis` for a nevisMeta client, `auth0` for an Auth0 application; absent for a useGrant one. */
  declare readonly backend: pulumi.Output<"nevis" | "auth0" | undefined>;
  /** The `sub` claim of this client's tokens. */
  declare readonly subject: pulumi.Output<string>;
  /** The provider's issuer URL. */
  declare readonly issuer: pulumi.Output<string>;
  /** `<issuer>/oauth/token`, for the client_credentials grant. */
  declare readonly tokenEndpoint: pulumi.Output<string>;
  /** The client secret; always a Pulumi secret. */
  declare readonly clientSecret: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** nevisMeta clients: the registered metadata (absent when the program leaves it unset). */
  declare readonly grantTypes: pulumi.Output<ClientGrantTypeName[] | undefined>;
  declare readonly tokenEndpointAuthMethod: pulumi.Output<
    ClientTokenEndpointAuthMethod | undefined
  >;
  declare readonly accessTokenTtlSeconds: pulumi.Output<number | undefined>;
  declare readonly scopes: pulumi.Output<string[] | undefined>;
  declare readonly jwks: pulumi.Output<{ keys: ClientPublicJwk[] } | undefined>;

  constructor(name: string, args: ClientArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "Client",
      clientProviderCode,
      name,
      {
        // Unknown keys too (a typo in a JavaScript program), so `check` can reject them.
        ...args,
        providerId: args.providerId,
        name: args.name,
        // Every output must be a key here, or the engine's value is dropped (pitfall §2.7).
        subject: undefined,
        backend: undefined,
        issuer: undefined,
        tokenEndpoint: undefined,
        clientSecret: undefined,
        createdAt: undefined,
      },
      withSecretClientSecret(opts),
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
