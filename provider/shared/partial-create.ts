/**
 * The error shape the dynamic-provider host reports as "created, but failed to initialize"
 * (ErrorResourceInitFailed): the engine records `id` and `properties` in state, so the remote
 * object is not orphaned and the next `up` can repair or delete it.
 */
export class PartialCreateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(message: string, id: string, properties: Record<string, unknown>, cause: unknown) {
    super(message, { cause });
    this.name = "PartialCreateError";
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}
