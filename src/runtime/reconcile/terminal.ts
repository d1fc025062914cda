/**
 * Terminal reconcile errors: failures that retrying cannot fix, logged and counted but not requeued.
 * @module
 */

/** A reconcile error that must not be retried. Create it with {@link terminal}. */
export class TerminalError extends Error {
  override readonly name = "TerminalError";
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Wraps `err` so the controller logs it and does not retry: `throw terminal(new Error("bad spec"))`. */
export function terminal(err: unknown): TerminalError {
  return err instanceof TerminalError ? err : new TerminalError(err);
}

/** True when `err` is (or wraps, through `cause`) a {@link TerminalError}. */
export function isTerminal(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}
