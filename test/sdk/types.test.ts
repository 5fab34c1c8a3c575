import { describe, expectTypeOf, it } from "vitest";
import type {
  ClientGrant,
  CreatedClient,
  DiscoveryDocument,
  GrantsClient,
  GrantsErrorCode,
  OidcClient,
  Provider,
  SigningKey,
  Token,
  TokenResponse,
  GrantsError,
} from "../../sdk";
import { createGrantsClient, createOidcClient, isGrantsError } from "../../sdk";

// Pins the public signatures the provider codes against; a change here is a breaking change.
describe("public types", () => {
  it("types the factories", () => {
    expectTypeOf(createGrantsClient).returns.toEqualTypeOf<GrantsClient>();
    expectTypeOf(createOidcClient).returns.toEqualTypeOf<OidcClient>();
    expectTypeOf<GrantsClient["close"]>().returns.toEqualTypeOf<Promise<void>>();
  });

  it("types the provider, client and token calls", () => {
    expectTypeOf<GrantsClient["providers"]["create"]>().returns.toEqualTypeOf<Promise<Provider>>();
    expectTypeOf<GrantsClient["providers"]["list"]>().returns.toEqualTypeOf<Promise<Provider[]>>();
    expectTypeOf<GrantsClient["providers"]["delete"]>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<GrantsClient["providers"]["rotateKey"]>().returns.toEqualTypeOf<
      Promise<SigningKey>
    >();
    expectTypeOf<GrantsClient["clients"]["create"]>().returns.toEqualTypeOf<
      Promise<CreatedClient>
    >();
    expectTypeOf<CreatedClient>().toHaveProperty("clientSecret");
    expectTypeOf<GrantsClient["tokens"]["create"]>().returns.toEqualTypeOf<Promise<Token>>();
    expectTypeOf<GrantsClient["tokens"]["create"]>().parameter(2).toEqualTypeOf<
      | {
          expiresIn?: number;
          useJwtType?: boolean;
          audienceAsArray?: boolean;
          forceDefaultDomain?: boolean;
        }
      | undefined
    >();
  });

  it("types client-grant listing as an async iterator of grants", () => {
    expectTypeOf<GrantsClient["clientGrants"]["list"]>().returns.toEqualTypeOf<
      AsyncIterableIterator<ClientGrant>
    >();
    expectTypeOf<GrantsClient["clientGrants"]["get"]>().returns.toEqualTypeOf<
      Promise<ClientGrant>
    >();
  });

  it("types the OAuth and OIDC calls", () => {
    expectTypeOf<OidcClient["oauth"]["clientCredentials"]>().returns.toEqualTypeOf<
      Promise<TokenResponse>
    >();
    expectTypeOf<GrantsClient["discovery"]["get"]>().returns.toEqualTypeOf<
      Promise<DiscoveryDocument>
    >();
  });

  it("narrows errors by guard and by code", () => {
    const value: unknown = undefined;
    if (isGrantsError(value)) {
      expectTypeOf(value).toEqualTypeOf<GrantsError>();
      expectTypeOf(value.code).toEqualTypeOf<GrantsErrorCode>();
    }
    expectTypeOf<GrantsErrorCode>().toEqualTypeOf<
      | "GRANTS_NOT_FOUND"
      | "GRANTS_CONFLICT"
      | "GRANTS_UNAUTHORIZED"
      | "GRANTS_FORBIDDEN"
      | "GRANTS_RATE_LIMITED"
      | "GRANTS_VALIDATION"
      | "GRANTS_SERVER"
      | "GRANTS_TIMEOUT"
      | "GRANTS_NETWORK"
      | "GRANTS_INVALID_RESPONSE"
    >();
  });
});
