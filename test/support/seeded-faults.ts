// A deterministic fault mix for the fault proxy. Whether a request meets a fault depends only on
// a seed and on the request itself (method, path and body with server-made ids left out, and
// how many times that same request was seen before), so every run meets the same faults in the
// same number: among requests that differ only in an id (the same grant for ten clients), which
// one meets it may follow arrival order, how many do not.
import { createHash } from "node:crypto";
import type { Fault, FaultPlan, ProxiedRequest } from "./fault-proxy";

/** The faults of issue #13, each for the same share of the faulted requests. */
export const NETWORK_FAULTS: readonly { readonly name: string; readonly fault: Fault }[] = [
  {
    name: "429 Retry-After: 1",
    fault: {
      type: "respond",
      status: 429,
      headers: { "retry-after": "1" },
      body: { code: "too_many_requests", message: "Too many requests" },
    },
  },
  {
    name: "503",
    fault: {
      type: "respond",
      status: 503,
      body: { code: "service_unavailable", message: "Service unavailable" },
    },
  },
  { name: "connection reset", fault: { type: "reset" } },
  // Forwarded, so the server acts on it, and never answered: longer than any client timeout.
  { name: "stall", fault: { type: "forward-and-withhold" } },
  { name: "502 after the server acted", fault: { type: "forward-and-replace", status: 502 } },
];

/** Provider and client ids (UUIDs) and client grant ids, as the server generates them. */
const SERVER_IDS =
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|cgr_[A-Za-z0-9]{16}/gi;

export interface SeededFaults {
  readonly plan: FaultPlan;
  /** How many requests met each fault, by name. */
  readonly counts: () => Readonly<Record<string, number>>;
  /** Switches faults on or off; off, every request is forwarded. */
  enabled: boolean;
}

/** Faults for `rate` (0–1) of the requests, the kind drawn evenly from {@link NETWORK_FAULTS}. */
export function seededFaults(seed: string, rate: number): SeededFaults {
  const seen = new Map<string, number>();
  const counts: Record<string, number> = {};
  const state: SeededFaults = {
    enabled: true,
    counts: () => ({ ...counts }),
    plan: (request: ProxiedRequest): Fault => {
      if (!state.enabled) return { type: "forward" };
      // Ids the server made up differ between test runs; the request is the same without them.
      const identity = `${request.method} ${request.path} ${request.body}`.replace(
        SERVER_IDS,
        ":id",
      );
      const occurrence = seen.get(identity) ?? 0;
      seen.set(identity, occurrence + 1);
      const digest = createHash("sha256").update(`${seed}\n${occurrence}\n${identity}`).digest();
      if (digest.readUInt32BE(0) / 2 ** 32 >= rate) return { type: "forward" };
      const chosen = NETWORK_FAULTS[digest.readUInt32BE(4) % NETWORK_FAULTS.length]!;
      counts[chosen.name] = (counts[chosen.name] ?? 0) + 1;
      return chosen.fault;
    },
  };
  return state;
}
