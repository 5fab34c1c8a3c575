import type { FastifyRequest } from "fastify";
import type { ServerContext } from "../context";
import { notFound } from "../errors";
import { isResourceId } from "../secrets";
import type { ProviderRecord } from "../store/store";

/** The default issuer of a provider: a path under the server's public URL. */
export function defaultIssuer(context: ServerContext, providerId: string): string {
  return `${context.publicUrl()}/p/${providerId}`;
}

/**
 * The issuer a provider's tokens carry: `https://<domain>` once a custom domain is verified
 * (unless the caller forces the default), else the default issuer.
 */
export async function effectiveIssuer(
  context: ServerContext,
  providerId: string,
  options: { forceDefaultDomain?: boolean } = {},
): Promise<string> {
  if (options.forceDefaultDomain !== true) {
    const domain = await context.store.getIssuerDomain(providerId);
    if (domain) return `https://${domain.domain}`;
  }
  return defaultIssuer(context, providerId);
}

/**
 * Which provider and issuer an OIDC request addresses: `/p/<providerId>/…` addresses the default
 * issuer; a root path addresses the verified custom domain named by the `Host` header. The issuer
 * is always the one the request came through, so discovery's `issuer` matches the URL it was
 * fetched from (OpenID Connect Discovery 1.0 §4.3) and tokens match that discovery document.
 */
export async function issuerOfRequest(
  context: ServerContext,
  request: FastifyRequest,
): Promise<{ provider: ProviderRecord; issuer: string }> {
  const providerId = (request.params as Record<string, string | undefined>).providerId;
  if (providerId !== undefined) {
    const provider = isResourceId(providerId)
      ? await context.store.getProvider(providerId)
      : undefined;
    if (!provider) throw noIssuerAtPath();
    return { provider, issuer: defaultIssuer(context, provider.id) };
  }
  const host = hostName(request.headers.host);
  const domain = host ? await context.store.findVerifiedDomain(host) : undefined;
  const provider = domain ? await context.store.getProvider(domain.providerId) : undefined;
  if (!domain || !provider) throw notFound("inexistent_provider", "No issuer for this host");
  return { provider, issuer: `https://${domain.domain}` };
}

function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // Strip a port; bracketed IPv6 literals never name a custom domain anyway.
  return header.replace(/:\d+$/, "").toLowerCase();
}

/** The answer for `/p/<providerId>/…` when no such provider exists. */
export function noIssuerAtPath() {
  return notFound("inexistent_provider", "No issuer at this path");
}
