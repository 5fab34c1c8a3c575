/**
 * The native provider host (`@pulumi/pulumi/provider`) answers Configure with acceptSecrets and
 * acceptOutputs, so the engine sends values in their wire envelopes (reference §5). The crud
 * implementations want plain values: secrets unwrapped, unknown outputs as the preview sentinel
 * they already understand.
 */
import { UNKNOWN } from "../provider/shared/unknown";

/** `pulumi/sdk/go/common/resource/sig`: the key that marks an envelope, and its kinds. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export interface Unwrapped {
  readonly value: Record<string, unknown>;
  /** Top-level keys whose value was, or held, a secret. */
  readonly secretKeys: ReadonlySet<string>;
}

/** Plain values of a property map, and which top-level keys were secret. */
export function unwrapProperties(properties: Record<string, unknown> | undefined): Unwrapped {
  const secretKeys = new Set<string>();
  const value: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(properties ?? {})) {
    const state = { secret: false };
    value[key] = unwrapValue(raw, state);
    if (state.secret) secretKeys.add(key);
  }
  return { value, secretKeys };
}

function unwrapValue(raw: unknown, state: { secret: boolean }): unknown {
  if (Array.isArray(raw)) return raw.map((item) => unwrapValue(item, state));
  if (raw === null || typeof raw !== "object") return raw;
  const record = raw as Record<string, unknown>;
  const sig = record[SIG_KEY];
  if (sig === SECRET_SIG) {
    state.secret = true;
    return unwrapValue(record["value"], state);
  }
  if (sig === OUTPUT_SIG) {
    if (record["secret"] === true) state.secret = true;
    return "value" in record ? unwrapValue(record["value"], state) : UNKNOWN;
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, unwrapValue(item, state)]),
  );
}

/** Wraps the listed top-level keys in secret envelopes (absent keys stay absent). */
export function markSecret(
  properties: Record<string, unknown>,
  keys: Iterable<string>,
): Record<string, unknown> {
  const result = { ...properties };
  for (const key of keys) {
    const value = result[key];
    if (value === undefined || isSecretEnvelope(value)) continue;
    result[key] = { [SIG_KEY]: SECRET_SIG, value };
  }
  return result;
}

function isSecretEnvelope(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** Drops `undefined` members: protobuf Structs cannot carry them. */
export function withoutUndefined(properties: object | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(properties ?? {}).filter(([, value]) => value !== undefined),
  );
}
