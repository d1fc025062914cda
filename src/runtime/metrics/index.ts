/**
 * tsop/runtime/metrics: metrics with controller-runtime's names — the sink runtime components
 * report to, and the prom-client registry the manager serves.
 * @module
 */
export { type MetricsSink, noopMetrics } from "./sink.js";
export { PromMetrics, CONTROLLER_RUNTIME_METRICS } from "./metrics.js";
