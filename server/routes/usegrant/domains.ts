import type { FastifyInstance } from "fastify";
import { domainEndpoints } from "../../../sdk/endpoints/domains";
import type { Domain } from "../../../sdk/schemas/domain";
import type { ServerContext } from "../../context";
import { isoNow } from "../../context";
import { ApiError, notFound } from "../../errors";
import { newResourceId, newVerificationValue } from "../../secrets";
import type { DomainRecord } from "../../store/store";
import { registerEndpoint } from "../register-endpoint";
import { findDomain, findProvider } from "./lookups";

/** The DNS name whose TXT record proves control of `domain`. */
export function challengeRecordName(domain: string): string {
  return `_grants-challenge.${domain}`;
}

/**
 * `/v1/providers/{providerId}/domains`: custom issuer domains. Ownership is proven the way
 * ACME's dns-01 challenge does it (RFC 8555 §8.4): a TXT record at a well-known name holding a
 * random value only the owner was told.
 */
export function registerDomainRoutes(app: FastifyInstance, context: ServerContext): void {
  registerEndpoint(app, domainEndpoints.create, async ({ params, body }) => {
    const provider = await findProvider(context, params.providerId);
    const now = isoNow(context);
    const domain: DomainRecord = {
      id: newResourceId(),
      providerId: provider.id,
      domain: body.domain.toLowerCase(),
      verificationValue: newVerificationValue(),
      verified: false,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await context.store.createDomain(domain);
    if (outcome === "conflict") {
      throw new ApiError(409, "conflict", `domain: ${domain.domain} is already registered`);
    }
    if (outcome === "inexistent_provider")
      throw notFound("inexistent_provider", "Provider not found");
    return presentDomain(domain);
  });

  registerEndpoint(app, domainEndpoints.list, async ({ params }) => {
    const provider = await findProvider(context, params.providerId);
    return (await context.store.listDomains(provider.id)).map(presentDomain);
  });

  registerEndpoint(app, domainEndpoints.get, async ({ params }) => {
    const { domain } = await findDomain(context, params.providerId, params.domainId);
    return presentDomain(domain);
  });

  registerEndpoint(app, domainEndpoints.delete, async ({ params }) => {
    const { domain } = await findDomain(context, params.providerId, params.domainId);
    await context.store.deleteDomain(domain.id);
  });

  registerEndpoint(app, domainEndpoints.verify, async ({ params }) => {
    const { domain } = await findDomain(context, params.providerId, params.domainId);
    if (domain.verified) {
      return { domain: presentDomain(domain), verified: true, message: "Domain verified" };
    }
    const name = challengeRecordName(domain.domain);
    const found = await lookUpTxt(context, name);
    if (!found.includes(domain.verificationValue)) {
      return {
        domain: presentDomain(domain),
        verified: false,
        message:
          found.length === 0
            ? `No TXT record found at ${name}`
            : `The TXT records at ${name} do not hold the expected value`,
      };
    }
    const verified = await context.store.markDomainVerified(domain.id, isoNow(context));
    if (!verified) throw notFound("inexistent_domain", "Domain not found");
    return { domain: presentDomain(verified), verified: true, message: "Domain verified" };
  });
}

// A TXT record may be split into several strings of ≤255 bytes (RFC 7208 §3.3 shows the same
// convention); they are joined before comparing. A failed lookup means "not there (yet)".
async function lookUpTxt(context: ServerContext, name: string): Promise<string[]> {
  try {
    return (await context.resolveTxt(name)).map((chunks) => chunks.join(""));
  } catch {
    return [];
  }
}

function presentDomain(domain: DomainRecord): Domain {
  return {
    id: domain.id,
    domain: domain.domain,
    verified: domain.verified,
    ...(domain.verifiedAt === undefined ? {} : { verifiedAt: domain.verifiedAt }),
    verificationRecord: {
      type: "TXT",
      name: challengeRecordName(domain.domain),
      value: domain.verificationValue,
    },
    createdAt: domain.createdAt,
    updatedAt: domain.updatedAt,
  };
}
