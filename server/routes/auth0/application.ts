import { createPublicKey } from "node:crypto";
import { calculateJwkThumbprint } from "jose";
import type { JWK } from "jose";
import type {
  Auth0Client,
  Auth0NewCredential,
  CreateAuth0ClientRequest,
  UpdateAuth0ClientRequest,
} from "../../../sdk/schemas/auth0-client";
import {
  completeClientMetadata,
  publicJwkSchema,
} from "../../../sdk/schemas/oauth-client-metadata";
import type {
  OAuthClientMetadata,
  OAuthClientMetadataInput,
} from "../../../sdk/schemas/oauth-client-metadata";
import { ApiError } from "../../errors";
import type { ClientRecord } from "../../store/store";

// An Auth0 application over the one client model (issue #11). The mapping, field by field:
//   name                                   → name
//   description                            → metadata.comment
//   app_type, is_first_party               → metadata.app_type, metadata.is_first_party
//   grant_types                            → metadata.grant_types
//   token_endpoint_auth_method             → metadata.token_endpoint_auth_method
//   client_authentication_methods
//     .private_key_jwt.credentials (PEMs)  → metadata.jwks (one JWK each; credential id = kid),
//                                            token_endpoint_auth_method private_key_jwt
//   jwt_configuration.lifetime_in_seconds  → metadata.id_token_ttl (Auth0: the ID token's)
//   client_metadata {key: value}           → metadata.metadata entries without a locale

/** Auth0's defaults for what a create leaves out (reference auth0-client-grants.md §3). */
export const AUTH0_APPLICATION_DEFAULTS = {
  grant_types: ["authorization_code", "implicit", "refresh_token", "client_credentials"],
  token_endpoint_auth_method: "client_secret_post",
  lifetime_in_seconds: 36_000,
  is_first_party: true,
  // Auth0's default API token lifetime: what a client_credentials token of an application lives.
  access_token_ttl: 86_400,
} as const;

/** The metadata of a new application. */
export async function applicationMetadata(
  body: CreateAuth0ClientRequest,
): Promise<OAuthClientMetadata> {
  const credentials = body.client_authentication_methods?.private_key_jwt.credentials;
  const input: OAuthClientMetadataInput = {
    grant_types: body.grant_types ?? [...AUTH0_APPLICATION_DEFAULTS.grant_types],
    token_endpoint_auth_method:
      credentials !== undefined
        ? "private_key_jwt"
        : (body.token_endpoint_auth_method ??
          AUTH0_APPLICATION_DEFAULTS.token_endpoint_auth_method),
    access_token_ttl: AUTH0_APPLICATION_DEFAULTS.access_token_ttl,
    id_token_ttl:
      body.jwt_configuration?.lifetime_in_seconds ?? AUTH0_APPLICATION_DEFAULTS.lifetime_in_seconds,
  };
  if (credentials !== undefined) {
    input.jwks = {
      keys: await Promise.all(
        credentials.map((credential, index) =>
          credentialJwk(
            credential,
            `client_authentication_methods.private_key_jwt.credentials[${index}]`,
          ),
        ),
      ),
    };
  }
  if (body.description !== undefined) input.comment = body.description;
  if (body.client_metadata !== undefined) input.metadata = metadataEntries(body.client_metadata);
  const metadata = completeClientMetadata(input);
  if (body.app_type !== undefined) metadata.app_type = body.app_type;
  metadata.is_first_party = body.is_first_party ?? AUTH0_APPLICATION_DEFAULTS.is_first_party;
  return metadata;
}

/**
 * The client after a PATCH: a present field replaces. Switching to `private_key_jwt` names
 * the credentials to keep (by id) and to add (by PEM); switching away drops the keys. Throws a
 * 400 naming the field when the result would be inconsistent.
 */
export async function patchedApplication(
  client: ClientRecord,
  patch: UpdateAuth0ClientRequest,
): Promise<Omit<ClientRecord, "secretHash">> {
  const metadata: OAuthClientMetadata = structuredClone(client.metadata);
  if (patch.description !== undefined) {
    if (patch.description === "") delete metadata.comment;
    else metadata.comment = patch.description;
  }
  if (patch.app_type !== undefined) metadata.app_type = patch.app_type;
  if (patch.is_first_party !== undefined) metadata.is_first_party = patch.is_first_party;
  if (patch.grant_types !== undefined) metadata.grant_types = patch.grant_types;
  if (patch.jwt_configuration?.lifetime_in_seconds !== undefined) {
    metadata.id_token_ttl = patch.jwt_configuration.lifetime_in_seconds;
  }
  if (patch.client_metadata !== undefined) {
    // Localized entries (set through nevisMeta) have no Auth0 spelling; they stay.
    metadata.metadata = [
      ...metadata.metadata.filter((entry) => entry.locale !== undefined),
      ...metadataEntries(patch.client_metadata),
    ];
  }

  const methods = patch.client_authentication_methods;
  if (methods !== undefined && methods !== null) {
    const registered = metadata.jwks?.keys ?? [];
    const keys = [];
    for (const [index, credential] of methods.private_key_jwt.credentials.entries()) {
      const field = `client_authentication_methods.private_key_jwt.credentials[${index}]`;
      if ("id" in credential) {
        const kept = registered.find((key) => key.kid === credential.id);
        if (!kept) {
          throw new ApiError(400, "invalid_body", `${field}.id: no such credential of this client`);
        }
        keys.push(kept);
      } else {
        keys.push(await credentialJwk(credential, field));
      }
    }
    metadata.token_endpoint_auth_method = "private_key_jwt";
    metadata.jwks = { keys };
  } else if (
    (methods === null && metadata.token_endpoint_auth_method === "private_key_jwt") ||
    (patch.token_endpoint_auth_method !== undefined && patch.token_endpoint_auth_method !== null)
  ) {
    metadata.token_endpoint_auth_method =
      patch.token_endpoint_auth_method ?? AUTH0_APPLICATION_DEFAULTS.token_endpoint_auth_method;
    delete metadata.jwks;
  }
  metadata.confidentiality_type =
    metadata.token_endpoint_auth_method === "none" ? "public" : "confidential";
  return { ...client, name: patch.name ?? client.name, metadata };
}

/** The Auth0 view of a client of the tenant. */
export function presentApplication(client: ClientRecord): Auth0Client {
  const { metadata } = client;
  const wire: Auth0Client = {
    client_id: client.id,
    name: client.name,
    global: false,
    is_first_party: metadata.is_first_party ?? AUTH0_APPLICATION_DEFAULTS.is_first_party,
    grant_types: metadata.grant_types,
    jwt_configuration: { lifetime_in_seconds: metadata.id_token_ttl, secret_encoded: false },
    client_metadata: Object.fromEntries(
      metadata.metadata
        .filter((entry) => entry.locale === undefined)
        .map((entry) => [entry.name, entry.value]),
    ),
  };
  if (metadata.comment !== undefined) wire.description = metadata.comment;
  if (metadata.app_type !== undefined) wire.app_type = metadata.app_type;
  if (metadata.token_endpoint_auth_method === "private_key_jwt") {
    wire.client_authentication_methods = {
      private_key_jwt: {
        credentials: (metadata.jwks?.keys ?? []).map((key) => ({ id: String(key.kid) })),
      },
    };
  } else {
    wire.token_endpoint_auth_method = metadata.token_endpoint_auth_method;
  }
  return wire;
}

function metadataEntries(record: Record<string, string>): OAuthClientMetadata["metadata"] {
  return Object.entries(record).map(([name, value]) => ({ name, value }));
}

/**
 * The public JWK of a PEM credential; its `kid` (the given one, else the RFC 7638 thumbprint)
 * is the credential's id. A PEM that does not parse, or a key the issuer cannot verify
 * assertions with, is a 400 naming the field.
 */
async function credentialJwk(credential: Auth0NewCredential, field: string) {
  let jwk: JWK;
  try {
    jwk = createPublicKey(credential.pem).export({ format: "jwk" }) as JWK;
  } catch {
    throw new ApiError(
      400,
      "invalid_body",
      `${field}.pem: is not a readable public key or certificate`,
    );
  }
  const kid = credential.kid ?? (await calculateJwkThumbprint(jwk, "sha256"));
  const candidate = { ...jwk, kid, use: "sig", ...(credential.alg ? { alg: credential.alg } : {}) };
  const checked = publicJwkSchema.safeParse(candidate);
  if (!checked.success) {
    throw new ApiError(
      400,
      "invalid_body",
      `${field}.pem: ${checked.error.issues[0]?.message ?? "is not a usable public key"}`,
    );
  }
  if (credential.alg !== undefined && jwk.kty !== "RSA") {
    throw new ApiError(400, "invalid_body", `${field}.alg: ${credential.alg} needs an RSA key`);
  }
  return checked.data;
}
