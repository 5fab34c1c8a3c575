import type { OAuthError } from "../../errors";
import { hashSecret, secretMatches } from "../../secrets";
import type { ClientRecord } from "../../store/store";

/** Compared against when the client is unknown, so a miss costs what a wrong secret costs. */
const UNKNOWN_CLIENT_HASH = hashSecret("grants-server: no such client");

/** The id and secret of HTTP Basic client authentication (RFC 6749 §2.3.1). */
export interface BasicCredentials {
  id: string;
  secret: string;
}

/**
 * Checks a presented client secret (`client_secret_basic` or `client_secret_post`) in constant
 * time, also when `client` is undefined, so an unknown client costs what a wrong secret costs.
 * `failure` builds the error to throw, only when it is thrown.
 */
export function verifyClientSecret(
  client: ClientRecord | undefined,
  secret: string,
  failure: () => OAuthError,
): ClientRecord {
  const matches = secretMatches(secret, client?.secretHash ?? UNKNOWN_CLIENT_HASH);
  if (!client || !matches) throw failure();
  return client;
}

/**
 * Parses `Authorization: Basic`; undefined when it does not parse. A header that does not parse
 * is a failed authentication, never an absent one.
 */
export function parseBasic(header: string): BasicCredentials | undefined {
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

/** Whether a secret may be presented with this method to a client registered with `registered`. */
export function secretMethodAllowed(
  registered: ClientRecord["metadata"]["token_endpoint_auth_method"],
  presented: "client_secret_basic" | "client_secret_post",
): boolean {
  // RFC 6749 §2.3.1: servers MUST support HTTP Basic for clients issued a password, so Basic
  // serves both secret methods; the body parameters only a client_secret_post client.
  if (registered === "client_secret_post") return true;
  return registered === "client_secret_basic" && presented === "client_secret_basic";
}
