/** A mistake in how the command was called or what it was given; exits 2 with its message. */
export class CliError extends Error {
  constructor(
    /** Stable: `USAGE` (arguments) or `INPUT` (a file or stdin that is not what was expected). */
    readonly code: "USAGE" | "INPUT",
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
