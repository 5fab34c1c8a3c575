/** One pino-style log method: a message, or an object of fields and a message. */
export type LogMethod = (objectOrMessage: unknown, message?: string, ...args: unknown[]) => void;

/**
 * The logger `startServer` accepts: the shape of a pino logger (which Fastify uses), written out
 * here so the server's public declarations do not pull pino's typings into a user's project.
 */
export interface ServerLogger {
  level: string;
  fatal: LogMethod;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace: LogMethod;
  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): ServerLogger;
}
