/**
 * Stop signals: the first SIGTERM/SIGINT starts a graceful stop, a second one exits at once.
 * @module
 */
import type { Logger } from "../log/types.js";

/** Options of {@link handleStopSignals}. */
export interface StopSignalOptions {
  /** Signals to handle. Default: SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /** Exit code of the second signal. Default: 1. */
  forceExitCode?: number;
  /** Default: none. */
  logger?: Logger;
}

/**
 * Returns a signal that aborts on the first stop signal, and an `uninstall` that removes the
 * handlers. A second stop signal calls `process.exit(forceExitCode)` immediately.
 */
export function handleStopSignals(opts: StopSignalOptions = {}): { signal: AbortSignal; uninstall: () => void } {
  const signals = opts.signals ?? ["SIGTERM", "SIGINT"];
  const ac = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (!ac.signal.aborted) {
      opts.logger?.info({ signal: name }, "stop signal received, shutting down gracefully (send it again to exit at once)");
      ac.abort(new Error(`received ${name}`));
      return;
    }
    opts.logger?.warn({ signal: name }, "second stop signal received, exiting at once");
    process.exit(opts.forceExitCode ?? 1);
  };
  for (const s of signals) process.on(s, onSignal);
  return { signal: ac.signal, uninstall: () => { for (const s of signals) process.off(s, onSignal); } };
}

/**
 * Resolves when `work` settles or after `timeoutMs`, whichever comes first; true when the work
 * finished in time.
 */
export async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([work.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
