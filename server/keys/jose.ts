import type * as Jose from "jose" with { "resolution-mode": "import" };

/** jose's public types, for files that only need types. */
export type JoseModule = typeof Jose;
export type { JWK, JWTPayload } from "jose" with { "resolution-mode": "import" };

let loading: Promise<JoseModule> | undefined;

/**
 * jose 6 ships only as an ES module, and this package compiles to CommonJS, whose `require`
 * the TypeScript `node16` mode will not emit for an ES module. A dynamic `import()` is kept
 * as is by the compiler and works everywhere; it runs once and is then a resolved promise.
 */
export function loadJose(): Promise<JoseModule> {
  loading ??= import("jose");
  return loading;
}
