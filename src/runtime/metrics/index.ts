/**
 * tsop/runtime/metrics: metrics with controller-runtime's names — the sink runtime components
 * report to, and the registry the manager serves (prom-client only loaded when needed).
 * @module
 */
export { type MetricsSink, noopMetrics } from "./sink.js";
export { PromMetrics, CONTROLLER_RUNTIME_METRICS } from "./metrics.js";
