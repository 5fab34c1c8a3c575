import type { ServerContext } from "../context";
import { OAuthError } from "../errors";
import { hashSecret, isResourceId, secretMatches } from "../secrets";
import type { ClientRecord, ProviderRecord } from "../store/store";

/** Compared against when the client is unknown, so a miss costs what a wrong secret costs. */
const UNKNOWN_CLIENT_HASH = hashSecret("grants-server: no such client");

/**
 * Authenticates the client of a token request: `client_secret_basic` (RFC 6749 §2.3.1, the
 * `Authorization: Basic` header, form-encoded id and secret) or `client_secret_post` (the
 * `client_id` and `client_secret` parameters). Unknown client, wrong secret and a client of
 * another issuer all fail alike with `invalid_client` (§5.2), so nothing tells them apart.
 */
export async function authenticateClient(
  context: ServerContext,
  /** Undefined for the tenant token endpoint, where a client of any provider authenticates. */
  provider: ProviderRecord | undefined,
  params: Readonly<Record<string, string | undefined>>,
  authorization: string | undefined,
): Promise<ClientRecord> {
  const triedBasic = authorization !== undefined && /^basic\b/i.test(authorization.trim());
  const basic = triedBasic ? parseBasic(authorization) : undefined;
  const failure = new OAuthError(401, "invalid_client", "Client authentication failed", {
    // §5.2: a client that tried the Authorization header gets a challenge for that scheme.
    headers: triedBasic ? { "WWW-Authenticate": 'Basic realm="grants-server"' } : {},
  });
  // A Basic header that does not parse is a failed authentication, not an absent one: falling
  // through to client_secret_post would accept two methods in one request (§2.3).
  if (triedBasic && basic === undefined) throw failure;
  // §2.3: a client MUST NOT use more than one authentication method in each request.
  if (basic && params.client_secret !== undefined) {
    throw new OAuthError(400, "invalid_request", "client authentication: use only one method");
  }
  if (basic && params.client_id !== undefined && params.client_id !== basic.id) {
    throw new OAuthError(
      400,
      "invalid_request",
      "client_id: does not match the Authorization header",
    );
  }
  const id = basic?.id ?? params.client_id;
  const secret = basic?.secret ?? params.client_secret;
  if (id === undefined || secret === undefined) throw failure;

  const client = isResourceId(id) ? await context.store.getClient(id) : undefined;
  const matches = secretMatches(secret, client?.secretHash ?? UNKNOWN_CLIENT_HASH);
  if (!client || !matches || (provider !== undefined && client.providerId !== provider.id))
    throw failure;
  return client;
}

function parseBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    return {
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined; // malformed percent-encoding: treated as failed authentication
  }
}

// §2.3.1: id and secret are application/x-www-form-urlencoded before base64.
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}
