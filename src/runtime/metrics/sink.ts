/**
 * Where runtime components report metrics, and a sink that drops them (the default).
 * @module
 */
/**
 * Where runtime components report metrics. The manager supplies a sink (`PromMetrics`) that
 * pre-registers controller-runtime's metric names; the default does nothing.
 * Names are controller-runtime's (e.g. `controller_runtime_reconcile_total`, `workqueue_depth`).
 */
export interface MetricsSink {
  /** Add `value` (default 1) to a counter. */
  inc(name: string, labels: Record<string, string>, value?: number): void;
  /** Set a gauge. */
  set(name: string, labels: Record<string, string>, value: number): void;
  /** Observe a histogram sample (seconds for durations). */
  observe(name: string, labels: Record<string, string>, value: number): void;
}

/** A sink that drops everything. */
export const noopMetrics: MetricsSink = { inc() {}, set() {}, observe() {} };
