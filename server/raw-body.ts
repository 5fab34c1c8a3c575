import type { FastifyRequest } from "fastify";

// The body text as received, kept by the body parsers for the Idempotency-Key fingerprint (the
// parsed body would hide duplicate keys and whitespace a replay must also match).
const rawBodies = new WeakMap<FastifyRequest, string>();

/** Keeps the body of a request that carries an `Idempotency-Key`; no other needs it. */
export function keepRawBody(request: FastifyRequest, body: string): void {
  if (request.headers["idempotency-key"] !== undefined) rawBodies.set(request, body);
}

export function rawBodyOf(request: FastifyRequest): string {
  return rawBodies.get(request) ?? "";
}
