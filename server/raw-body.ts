import type { FastifyRequest } from "fastify";

// The body text as received, kept by the body parsers for the Idempotency-Key fingerprint (the
// parsed body would hide duplicate keys and whitespace a replay must also match).
const rawBodies = new WeakMap<FastifyRequest, string>();

export function keepRawBody(request: FastifyRequest, body: string): void {
  rawBodies.set(request, body);
}

export function rawBodyOf(request: FastifyRequest): string {
  return rawBodies.get(request) ?? "";
}
