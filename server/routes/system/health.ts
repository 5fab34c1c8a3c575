import type { FastifyInstance } from "fastify";
import { serverEndpoints } from "../../../sdk/endpoints/server";
import { registerEndpoint } from "../register-endpoint";

/** `GET /healthz`: liveness for process supervisors and tests. */
export function registerHealthRoutes(app: FastifyInstance): void {
  registerEndpoint(app, serverEndpoints.health, async () => ({ status: "ok" as const }));
}
