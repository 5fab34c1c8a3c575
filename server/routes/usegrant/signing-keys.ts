import type { FastifyInstance } from "fastify";
import { providerEndpoints } from "../../../sdk/endpoints/providers";
import type { SigningKey } from "../../../sdk/schemas/provider";
import { MAX_TOKEN_LIFETIME_SECONDS } from "../../../sdk/schemas/token";
import type { ServerContext } from "../../context";
import { isoNow } from "../../context";
import { notFound } from "../../errors";
import { generateSigningKey } from "../../keys/generate-signing-key";
import { isPublished } from "../../keys/key-ring";
import type { SigningKeyRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";
import { findProvider } from "./lookups";

/** `/v1/providers/{providerId}/keys`: list and rotate a provider's signing keys (extension). */
export function registerSigningKeyRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, providerEndpoints.listKeys, async ({ params }) => {
    const provider = await findProvider(context, params.providerId);
    const now = context.now();
    return (await context.store.listSigningKeys(provider.id))
      .filter((key) => isPublished(key, now))
      .map(presentSigningKey);
  });

  registerEndpoint(app, providerEndpoints.rotateKey, async ({ params, body }) => {
    const provider = await findProvider(context, params.providerId);
    const generated = await generateSigningKey({
      providerId: provider.id,
      algorithm: body.algorithm ?? provider.signingAlgorithm,
      masterKey: context.masterKey,
      createdAt: isoNow(context),
    });
    // Stamped after generation (RSA takes tens of milliseconds), just before the commit: other
    // instances count the key cache lifetime from about when the key became visible to them.
    const now = isoNow(context);
    const key = { ...generated, createdAt: now };
    // The old key keeps verifying until the longest-lived token it could have signed expires;
    // instances sharing the store may sign with it for up to the key cache lifetime more.
    const retiresAt = new Date(
      context.now() + MAX_TOKEN_LIFETIME_SECONDS * 1000 + context.keys.cacheMs,
    ).toISOString();
    const rotated = await context.store.rotateSigningKey(key, retiresAt, now);
    context.keys.forget(provider.id);
    if (!rotated) throw notFound("inexistent_provider", "Provider not found");
    return presentSigningKey(key);
  });
}

function presentSigningKey(key: SigningKeyRecord): SigningKey {
  return {
    kid: key.kid,
    algorithm: key.algorithm,
    status: key.status,
    createdAt: key.createdAt,
    ...(key.retiresAt === undefined ? {} : { retiresAt: key.retiresAt }),
  };
}
