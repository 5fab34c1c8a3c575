import type { ServerContext } from "../context";
import { ApiError } from "../errors";
import type { ActiveSigningKey } from "../keys/key-ring";

/** The provider's signing key; every provider is created with one, so a miss is a server fault. */
export async function activeKeyOf(
  context: ServerContext,
  providerId: string,
): Promise<ActiveSigningKey> {
  const key = await context.keys.activeKey(providerId);
  if (!key) {
    throw new ApiError(500, "internal_server_error", `provider ${providerId} has no active key`);
  }
  return key;
}
