/** A caller mistake: a `TypeError` with Node's argument-error codes. */
export interface InvalidArgumentError extends TypeError {
  readonly code: "ERR_INVALID_ARG_TYPE" | "ERR_INVALID_ARG_VALUE";
  /** For a body or query that failed its request schema: every problem, path first. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}
