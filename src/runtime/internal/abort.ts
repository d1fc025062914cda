/** Waiting on an AbortSignal. */

/** Resolves (never rejects) once `signal` aborts; at once when it already has. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
}
