// The typed client of the grant APIs: useGrant-style providers, clients, tokens and domains,
// Auth0 Management client grants, and the OAuth/OIDC calls. Every call goes through an endpoint
// descriptor of ./endpoints, so the wire contract is written once.
import {
  assertInteger,
  assertNonEmptyString,
  assertOptionalObject,
  invalidArgument,
  parseArgument,
  parseBaseUrl,
} from "./arguments";
import { createCallContext } from "./context";
import type { TransportOptions } from "./context";
import { auth0ClientEndpoints } from "./endpoints/auth0-clients";
import { clientGrantEndpoints } from "./endpoints/client-grants";
import { clientEndpoints } from "./endpoints/clients";
import { domainEndpoints } from "./endpoints/domains";
import { nevisMetaEndpoints } from "./endpoints/nevismeta-clients";
import type { Endpoint } from "./endpoints/endpoint";
import { providerEndpoints } from "./endpoints/providers";
import { tokenEndpoints } from "./endpoints/tokens";
import { GRANTS_INVALID_RESPONSE, GRANTS_UNAUTHORIZED, GrantsError, isGrantsError } from "./errors";
import type { ManagementTokenSource } from "./management-token-source";
import { createOidcApis } from "./oidc";
import type { OidcApis } from "./oidc";
import { walkClientGrants } from "./pagination";
import type { PageQuery, PagingMode } from "./pagination";
import { prepareJsonCall } from "./prepare";
import type { JsonCallInput } from "./prepare";
import { perform, resolveRequestOptions } from "./request";
import type { RequestOptions } from "./request-options";
import type { CreatedClient, Client, CreateClientRequest } from "./wire-types";
import type {
  Auth0Client,
  CreateAuth0ClientRequest,
  ListAuth0ClientsQuery,
  ListAuth0ClientsResponse,
  UpdateAuth0ClientRequest,
} from "./wire-types";
import { listClientGrantsQuerySchema } from "./schemas/client-grant";
import type {
  ClientGrant,
  CreateClientGrantRequest,
  ListClientGrantsQuery,
  ListClientGrantsResponse,
  UpdateClientGrantRequest,
} from "./wire-types";
import type { CreateDomainRequest, Domain, DomainVerification } from "./wire-types";
import type {
  NevisMetaClient,
  NevisMetaClientListQuery,
  NevisMetaClientRequest,
  NevisMetaCreatedClient,
  NevisMetaSetup,
} from "./wire-types";
import type {
  CreateProviderRequest,
  Provider,
  RotateSigningKeyRequest,
  SigningKey,
} from "./wire-types";
import type { CreateTokenRequest, Token } from "./wire-types";

/** Options of {@link createGrantsClient}. */
export interface GrantsClientOptions extends TransportOptions {
  /** The useGrant-style API base: `https://sdk.usegrant.dev`, or a grant server's URL. */
  readonly apiUrl: string;
  /** The bearer token for `apiUrl` (a useGrant `uga_…` token or the grant server's admin token). */
  readonly apiToken: string;
  /**
   * The Auth0-style Management API base, e.g. `https://<tenant>.auth0.com/api/v2`.
   * @default `${apiUrl}/api/v2`
   */
  readonly managementApiUrl?: string;
  /**
   * The bearer token for `managementApiUrl` (an Auth0 Management API access token).
   * @default apiToken
   */
  readonly managementApiToken?: string;
  /**
   * Where Management API tokens come from, instead of `managementApiToken`: e.g.
   * {@link clientCredentialsManagementToken}. Each call asks it for a token (it caches); a call
   * answered 401 drops that token and is sent once more with a fresh one.
   */
  readonly managementTokenSource?: ManagementTokenSource;
  /**
   * The nevisMeta REST base, e.g. `https://<host>/nevismeta/rest`.
   * @default `${apiUrl}/nevismeta/rest`
   */
  readonly nevisMetaUrl?: string;
  /**
   * The HTTP Basic password for `nevisMetaUrl` (the grant server takes its admin token).
   * @default apiToken, when `nevisMetaUrl` is on the origin of `apiUrl`
   */
  readonly nevisMetaPassword?: string;
  /**
   * The HTTP Basic user name for `nevisMetaUrl` (the grant server accepts any).
   * @default "admin"
   */
  readonly nevisMetaUsername?: string;
  /**
   * The nevisMeta module whose setups are addressed.
   * @default "oauthv2"
   */
  readonly nevisMetaModule?: string;
}

/** Providers: OIDC token issuers (useGrant `/v1/providers`). */
export interface ProvidersApi {
  /** Creates a provider. `POST /v1/providers` → 201. */
  create(body: CreateProviderRequest, options?: RequestOptions): Promise<Provider>;
  /** Lists every provider (the API has no paging). */
  list(options?: RequestOptions): Promise<Provider[]>;
  /** Gets a provider; rejects with `GRANTS_NOT_FOUND` when it does not exist. */
  get(providerId: string, options?: RequestOptions): Promise<Provider>;
  /** Deletes a provider with its clients, domains and keys. A retried delete may end in `GRANTS_NOT_FOUND`. */
  delete(providerId: string, options?: RequestOptions): Promise<void>;
  /** Lists the provider's signing keys, active and retiring (grant-server extension). */
  listKeys(providerId: string, options?: RequestOptions): Promise<SigningKey[]>;
  /** Makes a new active signing key (grant-server extension). */
  rotateKey(
    providerId: string,
    body?: RotateSigningKeyRequest,
    options?: RequestOptions,
  ): Promise<SigningKey>;
}

/** Machine clients of a provider (useGrant `/v1/providers/{providerId}/clients`). */
export interface ClientsApi {
  /** Creates a client; the answer is the only one that carries `clientSecret`. */
  create(
    providerId: string,
    body: CreateClientRequest,
    options?: RequestOptions,
  ): Promise<CreatedClient>;
  list(providerId: string, options?: RequestOptions): Promise<Client[]>;
  get(providerId: string, clientId: string, options?: RequestOptions): Promise<Client>;
  delete(providerId: string, clientId: string, options?: RequestOptions): Promise<void>;
}

/** Access tokens minted for a client (useGrant `/v1/.../tokens`). */
export interface TokensApi {
  /** Mints a signed access token for the client. Minting is retried like a read: it changes nothing stored. */
  create(
    providerId: string,
    clientId: string,
    body?: CreateTokenRequest,
    options?: RequestOptions,
  ): Promise<Token>;
}

/** Custom domains of a provider (useGrant `/v1/providers/{providerId}/domains`). */
export interface DomainsApi {
  create(providerId: string, body: CreateDomainRequest, options?: RequestOptions): Promise<Domain>;
  list(providerId: string, options?: RequestOptions): Promise<Domain[]>;
  get(providerId: string, domainId: string, options?: RequestOptions): Promise<Domain>;
  delete(providerId: string, domainId: string, options?: RequestOptions): Promise<void>;
  /** Checks the domain's DNS record; resolves whether or not it passed (see `verified`). */
  verify(
    providerId: string,
    domainId: string,
    options?: RequestOptions,
  ): Promise<DomainVerification>;
}

/** The filters of {@link ClientGrantsApi.list}; each is an exact match. */
export type ClientGrantFilters = Pick<
  ListClientGrantsQuery,
  "audience" | "client_id" | "allow_any_organization" | "subject_type"
>;

/** Options of {@link ClientGrantsApi.list}. */
export interface ListClientGrantsOptions extends RequestOptions {
  /**
   * Grants per page request (1–100, the Auth0 maximum).
   * @default 100
   */
  readonly pageSize?: number;
  /**
   * `checkpoint` pages with `from`/`take`, `offset` with `page`/`per_page`/`include_totals`,
   * and `auto` uses checkpoints unless the server answers without them.
   * @default "auto"
   */
  readonly paging?: PagingMode;
}

/** Client grants (Auth0 Management API `/client-grants`). */
export interface ClientGrantsApi {
  /** Creates a grant; rejects with `GRANTS_CONFLICT` when one exists for (client_id, audience, subject_type). */
  create(body: CreateClientGrantRequest, options?: RequestOptions): Promise<ClientGrant>;
  /**
   * Iterates over every matching grant, fetching pages as the loop advances. Arguments are
   * checked at once; requests start with the first `next()`.
   *
   * @example
   * ```ts
   * for await (const grant of client.clientGrants.list({ audience: "https://api.example.com" })) {
   *   console.log(grant.id, grant.scope);
   * }
   * ```
   */
  list(
    query?: ClientGrantFilters,
    options?: ListClientGrantsOptions,
  ): AsyncIterableIterator<ClientGrant>;
  get(id: string, options?: RequestOptions): Promise<ClientGrant>;
  /** Changes the mutable fields; `client_id`, `audience` and `subject_type` need a new grant. */
  update(
    id: string,
    body: UpdateClientGrantRequest,
    options?: RequestOptions,
  ): Promise<ClientGrant>;
  delete(id: string, options?: RequestOptions): Promise<void>;
}

/**
 * The tenant's applications (Auth0 Management API `/clients`). `client_id` is the id of every
 * call; `client_secret` is in the answers of `create` and `rotateSecret` only.
 */
export interface Auth0ClientsApi {
  /** Creates an application (a machine-to-machine one with `app_type: "non_interactive"`). */
  create(body: CreateAuth0ClientRequest, options?: RequestOptions): Promise<Auth0Client>;
  /**
   * One page (or, without paging parameters, every application), as the server answers it:
   * an array, or the `include_totals` envelope `{start, limit, total, clients}`.
   */
  list(query?: ListAuth0ClientsQuery, options?: RequestOptions): Promise<ListAuth0ClientsResponse>;
  get(clientId: string, options?: RequestOptions): Promise<Auth0Client>;
  /** Changes the fields given; `client_secret` sets a secret of the caller's choosing. */
  update(
    clientId: string,
    body: UpdateAuth0ClientRequest,
    options?: RequestOptions,
  ): Promise<Auth0Client>;
  /** Deletes the application and its client grants. */
  delete(clientId: string, options?: RequestOptions): Promise<void>;
  /** Replaces the secret with a new generated one; the answer is the only one that shows it. */
  rotateSecret(clientId: string, options?: RequestOptions): Promise<Auth0Client>;
}

/** nevisMeta clients of a setup (`/v2/modules/{module}/setups/{setupId}/clients`). */
export interface NevisMetaClientsApi {
  /**
   * Creates a client; `clientId` in the answer is the internal id of every other call, and
   * `client_secret` (when generated) is shown only here.
   */
  create(
    setupId: string,
    body: NevisMetaClientRequest,
    options?: RequestOptions,
  ): Promise<NevisMetaCreatedClient>;
  /** Internal ids of the setup's clients matching every filter given. */
  list(
    setupId: string,
    filters?: NevisMetaClientListQuery,
    options?: RequestOptions,
  ): Promise<string[]>;
  get(setupId: string, clientId: string, options?: RequestOptions): Promise<NevisMetaClient>;
  /** Replaces the whole definition: omitted fields return to the setup's defaults. */
  replace(
    setupId: string,
    clientId: string,
    body: NevisMetaClientRequest,
    options?: RequestOptions,
  ): Promise<NevisMetaClient>;
  delete(setupId: string, clientId: string, options?: RequestOptions): Promise<void>;
}

/** The nevisMeta REST API v2: setups of the module and their clients. */
export interface NevisMetaApi {
  listSetups(options?: RequestOptions): Promise<string[]>;
  getSetup(setupId: string, options?: RequestOptions): Promise<NevisMetaSetup>;
  readonly clients: NevisMetaClientsApi;
}

/** The client made by {@link createGrantsClient}. */
export interface GrantsClient extends OidcApis {
  readonly nevisMeta: NevisMetaApi;
  readonly providers: ProvidersApi;
  readonly clients: ClientsApi;
  readonly tokens: TokensApi;
  readonly domains: DomainsApi;
  readonly clientGrants: ClientGrantsApi;
  readonly auth0Clients: Auth0ClientsApi;
  /** Closes the client's own connections; a dispatcher passed in options is left open. */
  close(): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 100;

const clientGrantFiltersSchema = listClientGrantsQuerySchema.pick({
  audience: true,
  client_id: true,
  allow_any_organization: true,
  subject_type: true,
});

/**
 * Creates a client of the grant APIs. It owns a keep-alive connection pool; call `close()`
 * when done. Tokens are held in the closure, never on the object, so logging the client or
 * one of its errors cannot print them.
 *
 * @example
 * ```ts
 * // The local grant server, or the hosted services:
 * //   apiUrl: "https://sdk.usegrant.dev", managementApiUrl: "https://my-tenant.auth0.com/api/v2"
 * const client = createGrantsClient({
 *   apiUrl: "http://127.0.0.1:4000",
 *   apiToken: process.env.GRANTS_API_TOKEN!,
 * });
 * try {
 *   const provider = await client.providers.create({ name: "ci", description: "CI issuer" });
 *   const app = await client.clients.create(provider.id, { name: "deployer", audience: "api" });
 *   await client.clientGrants.create({ client_id: app.id, audience: "api", scope: ["deploy"] });
 * } finally {
 *   await client.close();
 * }
 * ```
 */
export function createGrantsClient(options: GrantsClientOptions): GrantsClient {
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("ERR_INVALID_ARG_TYPE", `"options" must be an object`);
  }
  const apiUrl = parseBaseUrl(options.apiUrl, "options.apiUrl");
  assertNonEmptyString(options.apiToken, "options.apiToken");
  const managementApiUrl =
    options.managementApiUrl === undefined
      ? new URL(`${apiUrl.href.replace(/\/+$/, "")}/api/v2`)
      : parseBaseUrl(options.managementApiUrl, "options.managementApiUrl");
  if (options.managementApiToken !== undefined) {
    assertNonEmptyString(options.managementApiToken, "options.managementApiToken");
  }
  const apiToken = options.apiToken;
  // The API token stands in only where the management API is the same service: sent to another
  // origin (an Auth0 tenant beside the hosted useGrant API) it would hand one service's
  // credential to another.
  const managementTokenSource = options.managementTokenSource;
  if (
    managementTokenSource !== undefined &&
    (typeof managementTokenSource !== "object" ||
      typeof managementTokenSource.token !== "function" ||
      typeof managementTokenSource.invalidate !== "function")
  ) {
    throw invalidArgument(
      "ERR_INVALID_ARG_TYPE",
      `"options.managementTokenSource" must have token() and invalidate() methods`,
    );
  }
  if (
    options.managementApiToken === undefined &&
    managementTokenSource === undefined &&
    managementApiUrl.origin !== apiUrl.origin
  ) {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"options.managementApiToken" is required when "options.managementApiUrl" is on another origin than "options.apiUrl"`,
    );
  }
  const managementApiToken = options.managementApiToken ?? apiToken;
  const nevisMetaUrl =
    options.nevisMetaUrl === undefined
      ? new URL(`${apiUrl.href.replace(/\/+$/, "")}/nevismeta/rest`)
      : parseBaseUrl(options.nevisMetaUrl, "options.nevisMetaUrl");
  if (options.nevisMetaPassword !== undefined) {
    assertNonEmptyString(options.nevisMetaPassword, "options.nevisMetaPassword");
  }
  if (options.nevisMetaPassword === undefined && nevisMetaUrl.origin !== apiUrl.origin) {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"options.nevisMetaPassword" is required when "options.nevisMetaUrl" is on another origin than "options.apiUrl"`,
    );
  }
  const nevisMetaPassword = options.nevisMetaPassword ?? apiToken;
  const nevisMetaUsername = options.nevisMetaUsername ?? "admin";
  assertNonEmptyString(nevisMetaUsername, "options.nevisMetaUsername");
  if (nevisMetaUsername.includes(":")) {
    throw invalidArgument(
      "ERR_INVALID_ARG_VALUE",
      `"options.nevisMetaUsername" must not contain ":"`,
    );
  }
  const nevisMetaModule = options.nevisMetaModule ?? "oauthv2";
  assertNonEmptyString(nevisMetaModule, "options.nevisMetaModule");
  const context = createCallContext(options, "options");

  const baseOf = (endpoint: Endpoint) => {
    switch (endpoint.dialect) {
      case "usegrant":
        return { base: apiUrl, token: apiToken };
      case "auth0":
        return { base: managementApiUrl, token: managementApiToken };
      case "nevismeta":
        return { base: nevisMetaUrl, token: nevisMetaPassword, basicUser: nevisMetaUsername };
      case "oidc":
        throw new Error(`oidc endpoint ${endpoint.operationId} has no fixed base`);
    }
  };

  async function call<T>(
    endpoint: Endpoint,
    input: Omit<JsonCallInput, "base" | "token">,
    options: unknown,
  ): Promise<T> {
    return (await send(endpoint, input, resolveRequestOptions(options, context))).answer as T;
  }

  /** Sends one call; Management API calls take their token from the token source, if any. */
  async function send(
    endpoint: Endpoint,
    input: Omit<JsonCallInput, "base" | "token">,
    resolved: ReturnType<typeof resolveRequestOptions>,
  ): Promise<{ answer: unknown; url: URL }> {
    const attempt = async (credentials: ReturnType<typeof baseOf>) => {
      const prepared = prepareJsonCall(endpoint, { ...input, ...credentials });
      return { answer: await perform(context, prepared, resolved), url: prepared.url };
    };
    if (endpoint.dialect !== "auth0" || managementTokenSource === undefined) {
      return attempt(baseOf(endpoint));
    }
    const token = await managementTokenSource.token();
    try {
      return await attempt({ base: managementApiUrl, token });
    } catch (error) {
      // A 401 means the request was refused before anything happened (a token revoked, or the
      // server restarted with new keys), so sending it again is safe; once, with a new token.
      if (!isGrantsError(error, GRANTS_UNAUTHORIZED)) throw error;
      managementTokenSource.invalidate(token);
      const fresh = await managementTokenSource.token();
      if (fresh === token) throw error;
      return attempt({ base: managementApiUrl, token: fresh });
    }
  }

  function id(value: unknown, name: string): string {
    assertNonEmptyString(value, name);
    return value;
  }

  const providers: ProvidersApi = {
    create: (body, options) => call(providerEndpoints.create, { body }, options),
    list: (options) => call(providerEndpoints.list, {}, options),
    get: async (providerId, options) =>
      call(
        providerEndpoints.get,
        { params: { providerId: id(providerId, "providerId") } },
        options,
      ),
    delete: async (providerId, options) =>
      call(
        providerEndpoints.delete,
        { params: { providerId: id(providerId, "providerId") } },
        options,
      ),
    listKeys: async (providerId, options) =>
      call(
        providerEndpoints.listKeys,
        { params: { providerId: id(providerId, "providerId") } },
        options,
      ),
    rotateKey: async (providerId, body, options) =>
      call(
        providerEndpoints.rotateKey,
        { params: { providerId: id(providerId, "providerId") }, body: body ?? {} },
        options,
      ),
  };

  const clients: ClientsApi = {
    create: async (providerId, body, options) =>
      call(
        clientEndpoints.create,
        { params: { providerId: id(providerId, "providerId") }, body },
        options,
      ),
    list: async (providerId, options) =>
      call(clientEndpoints.list, { params: { providerId: id(providerId, "providerId") } }, options),
    get: async (providerId, clientId, options) =>
      call(
        clientEndpoints.get,
        {
          params: { providerId: id(providerId, "providerId"), clientId: id(clientId, "clientId") },
        },
        options,
      ),
    delete: async (providerId, clientId, options) =>
      call(
        clientEndpoints.delete,
        {
          params: { providerId: id(providerId, "providerId"), clientId: id(clientId, "clientId") },
        },
        options,
      ),
  };

  const tokens: TokensApi = {
    create: async (providerId, clientId, body, options) =>
      call(
        tokenEndpoints.create,
        {
          params: { providerId: id(providerId, "providerId"), clientId: id(clientId, "clientId") },
          body: body ?? {},
          // A minted token is not stored; asking twice only yields a second token.
          safeToRepeat: true,
        },
        options,
      ),
  };

  const domains: DomainsApi = {
    create: async (providerId, body, options) =>
      call(
        domainEndpoints.create,
        { params: { providerId: id(providerId, "providerId") }, body },
        options,
      ),
    list: async (providerId, options) =>
      call(domainEndpoints.list, { params: { providerId: id(providerId, "providerId") } }, options),
    get: async (providerId, domainId, options) =>
      call(
        domainEndpoints.get,
        {
          params: { providerId: id(providerId, "providerId"), domainId: id(domainId, "domainId") },
        },
        options,
      ),
    delete: async (providerId, domainId, options) =>
      call(
        domainEndpoints.delete,
        {
          params: { providerId: id(providerId, "providerId"), domainId: id(domainId, "domainId") },
        },
        options,
      ),
    verify: async (providerId, domainId, options) =>
      call(
        domainEndpoints.verify,
        {
          params: { providerId: id(providerId, "providerId"), domainId: id(domainId, "domainId") },
          // Verification re-reads DNS; repeating it is harmless.
          safeToRepeat: true,
        },
        options,
      ),
  };

  const clientGrants: ClientGrantsApi = {
    create: (body, options) => call(clientGrantEndpoints.create, { body }, options),
    list(query, options) {
      // Checked now, not at the first next(): a caller mistake should surface where it is made.
      const filters = parseArgument(clientGrantFiltersSchema, query ?? {}, "query");
      assertOptionalObject(options, "options");
      const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
      assertInteger(pageSize, "options.pageSize", 1, 100);
      const paging = options?.paging ?? "auto";
      if (paging !== "auto" && paging !== "checkpoint" && paging !== "offset") {
        throw invalidArgument(
          "ERR_INVALID_ARG_VALUE",
          `"options.paging" must be "auto", "checkpoint" or "offset"`,
        );
      }
      const resolved = resolveRequestOptions(
        options === undefined
          ? undefined
          : { signal: options.signal, timeoutMs: options.timeoutMs },
        context,
      );
      const endpoint = clientGrantEndpoints.list;
      const fetchPage = async (pageQuery: PageQuery) => {
        const { answer, url } = await send(
          endpoint,
          { query: { ...filters, ...pageQuery } },
          resolved,
        );
        return { page: answer as ListClientGrantsResponse, url };
      };
      return walkClientGrants(fetchPage, {
        pageSize,
        paging,
        invalid: (url, detail) =>
          new GrantsError(`GET ${url.href} answered ${detail}`, {
            code: GRANTS_INVALID_RESPONSE,
            method: "GET",
            url: url.href,
            status: 200,
          }),
      });
    },
    get: async (grantId, options) =>
      call(clientGrantEndpoints.get, { params: { id: id(grantId, "id") } }, options),
    update: async (grantId, body, options) =>
      call(clientGrantEndpoints.update, { params: { id: id(grantId, "id") }, body }, options),
    delete: async (grantId, options) =>
      call(clientGrantEndpoints.delete, { params: { id: id(grantId, "id") } }, options),
  };

  const auth0Clients: Auth0ClientsApi = {
    create: (body, options) => call(auth0ClientEndpoints.create, { body }, options),
    list: async (query, options) =>
      call(auth0ClientEndpoints.list, { query: query ?? {} }, options),
    get: async (clientId, options) =>
      call(auth0ClientEndpoints.get, { params: { id: id(clientId, "clientId") } }, options),
    update: async (clientId, body, options) =>
      call(
        auth0ClientEndpoints.update,
        { params: { id: id(clientId, "clientId") }, body },
        options,
      ),
    delete: async (clientId, options) =>
      call(auth0ClientEndpoints.delete, { params: { id: id(clientId, "clientId") } }, options),
    rotateSecret: async (clientId, options) =>
      call(
        auth0ClientEndpoints.rotateSecret,
        { params: { id: id(clientId, "clientId") } },
        options,
      ),
  };

  const setupParams = (setupId: unknown) => ({
    module: nevisMetaModule,
    setupId: id(setupId, "setupId"),
  });
  const nevisMeta: NevisMetaApi = {
    listSetups: async (options) =>
      (
        await call<{ setupIds: string[] }>(
          nevisMetaEndpoints.listSetups,
          { params: { module: nevisMetaModule } },
          options,
        )
      ).setupIds,
    getSetup: async (setupId, options) =>
      call(nevisMetaEndpoints.getSetup, { params: setupParams(setupId) }, options),
    clients: {
      create: async (setupId, body, options) =>
        call(nevisMetaEndpoints.createClient, { params: setupParams(setupId), body }, options),
      list: async (setupId, filters, options) =>
        (
          await call<{ clientIds: string[] }>(
            nevisMetaEndpoints.listClients,
            { params: setupParams(setupId), query: filters ?? {}, queryName: "filters" },
            options,
          )
        ).clientIds,
      get: async (setupId, clientId, options) =>
        call(
          nevisMetaEndpoints.getClient,
          { params: { ...setupParams(setupId), clientId: id(clientId, "clientId") } },
          options,
        ),
      replace: async (setupId, clientId, body, options) =>
        call(
          nevisMetaEndpoints.replaceClient,
          { params: { ...setupParams(setupId), clientId: id(clientId, "clientId") }, body },
          options,
        ),
      delete: async (setupId, clientId, options) =>
        call(
          nevisMetaEndpoints.deleteClient,
          { params: { ...setupParams(setupId), clientId: id(clientId, "clientId") } },
          options,
        ),
    },
  };

  return {
    nevisMeta,
    providers,
    clients,
    tokens,
    domains,
    clientGrants,
    auth0Clients,
    ...createOidcApis(context),
    close: () => context.dispatcher.close(),
  };
}
