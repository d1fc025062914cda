/**
 * The logger contract every runtime component logs through (a pino-compatible subset).
 * @module
 */
/** Minimal structured logger (pino-compatible subset). */
export interface Logger {
  /** Logs at debug level: fields (or a message) first, then the message. */
  debug(obj: object | string, msg?: string): void;
  /** Logs at info level. */
  info(obj: object | string, msg?: string): void;
  /** Logs at warn level. */
  warn(obj: object | string, msg?: string): void;
  /** Logs at error level. */
  error(obj: object | string, msg?: string): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}
