import type { ServerContext } from "../context";
import type { ManagementPrincipal } from "./tenant-keys";
import { managementAudience, tenantIssuer } from "./tenant-keys";

/**
 * The principal of a Management API JWT, or undefined when it does not verify (bad signature,
 * other issuer or audience, expired). Scopes are checked per operation by the guard.
 */
export async function authorizeManagementJwt(
  context: ServerContext,
  token: string,
): Promise<ManagementPrincipal | undefined> {
  const publicUrl = context.publicUrl();
  return context.tenantKeys.verify(token, {
    issuer: tenantIssuer(publicUrl),
    audience: managementAudience(publicUrl),
    now: context.now(),
  });
}
