/**
 * What the token functions return (inside a secret Output).
 */
export interface AccessToken {
  /** The bearer token (a JWT for tokens of this grant server). */
  readonly accessToken: string;
  /**
   * When it expires, ISO-8601. Absent only when an issuer reports no lifetime for an opaque
   * token (`expires_in` is optional in RFC 6749 §5.1).
   */
  readonly expiresAt?: string;
  /** Always `Bearer`. */
  readonly tokenType: string;
  /** The granted scopes, when the issuer reported them. */
  readonly scopes?: string[];
}
