/** Waiting on an AbortSignal. */

/** Resolves (never rejects) once `signal` aborts; at once when it already has. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
}

/** Sleeps `ms`, resolving early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * A signal that aborts when `signal` does or `ms` have passed, whichever is first; call `cancel`
 * when done with it. Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: on Node 20 the
 * combined signal holds the timeout signal weakly, a GC can collect it before it fires, and the
 * combined signal then never aborts (the RBAC self-check waited on one and never ran; Node 22 is
 * not affected). Here the timer holds the controller.
 */
export function abortAfter(signal: AbortSignal, ms: number): { signal: AbortSignal; cancel: () => void } {
  const c = new AbortController();
  const onAbort = (): void => c.abort(signal.reason);
  const timer = setTimeout(() => c.abort(new Error(`timed out after ${ms} ms`)), ms);
  if (signal.aborted) c.abort(signal.reason);
  else signal.addEventListener("abort", onAbort, { once: true });
  return {
    signal: c.signal,
    cancel: () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    },
  };
}
