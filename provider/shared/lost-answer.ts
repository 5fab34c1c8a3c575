import { GRANTS_NETWORK, GRANTS_SERVER, GRANTS_TIMEOUT, isGrantsError } from "../../sdk/index";

/**
 * Whether a failed create may still have been applied: the request was sent but its answer was
 * lost (timeout, reset connection, a gateway's 502/504). Such a create is resolved by reading back
 * by natural key, never by sending it blindly again (hosted APIs have no Idempotency-Key).
 */
export function answerMayBeLost(error: unknown): boolean {
  if (isGrantsError(error, GRANTS_TIMEOUT) || isGrantsError(error, GRANTS_NETWORK)) return true;
  return isGrantsError(error, GRANTS_SERVER) && (error.status === 502 || error.status === 504);
}

/**
 * Creates with `create`; when that fails in a way that may have applied it, looks for the object
 * with `readBack` and returns it (as adopted) instead of failing; otherwise rethrows.
 */
export async function createOrReadBack<T>(
  create: () => Promise<T>,
  readBack: () => Promise<T | undefined>,
): Promise<{ value: T; readBack: boolean }> {
  try {
    return { value: await create(), readBack: false };
  } catch (error) {
    if (!answerMayBeLost(error)) throw error;
    const found = await readBack().catch(() => undefined);
    if (found === undefined) throw error;
    return { value: found, readBack: true };
  }
}
