/**
 * This package's version. Kept as a literal rather than read from package.json so the compiled
 * sdk needs no file at a relative path (Pulumi serializes provider code); a test keeps the two equal.
 */
export const SDK_VERSION = "0.1.0";

/** The `User-Agent` every request carries, so server operators can tell this client apart. */
export const USER_AGENT = `pulumi-grants/${SDK_VERSION}`;
