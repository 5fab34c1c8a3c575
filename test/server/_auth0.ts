import { ManagementClient } from "auth0";
import type { TestServer } from "../support/grant-server";

/** The tenant domain the SDK believes it talks to; requests are rewritten to the test server. */
export const TENANT_DOMAIN = "tenant.grants.test";

/**
 * The official auth0 v7 ManagementClient, pointed at a test server through its `fetch` option
 * (v7 hard-codes `https://<domain>/api/v2` as base URL). Retries are off unless asked for, so
 * an error status reaches the test at once.
 */
export function managementClient(
  server: Pick<TestServer, "url" | "adminToken">,
  options: {
    maxRetries?: number;
    token?: string;
    /**
     * Client credentials, as the SDK's docs configure it: it then fetches its own Management API
     * token from `https://<domain>/oauth/token` (the server must have `publicUrl`
     * `https://<TENANT_DOMAIN>` so the audience the SDK asks for is the server's).
     */
    credentials?: { clientId: string; clientSecret: string };
    /** Sees every response before the SDK does. */
    onResponse?: (response: Response) => void;
  } = {},
): ManagementClient {
  const origin = `https://${TENANT_DOMAIN}`;
  const rewrite: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(origin)) throw new Error(`unexpected request to ${url}`);
    const response = await fetch(`${server.url}${url.slice(origin.length)}`, init);
    options.onResponse?.(response);
    return response;
  };
  const common = {
    domain: TENANT_DOMAIN,
    fetch: rewrite,
    maxRetries: options.maxRetries ?? 0,
    telemetry: false,
  };
  return options.credentials === undefined
    ? new ManagementClient({ ...common, token: options.token ?? server.adminToken })
    : new ManagementClient({ ...common, ...options.credentials });
}
