/**
 * A prom-client MetricsSink that pre-registers controller-runtime's metric names and label sets,
 * plus Node's process metrics, in a registry per manager.
 * @module
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { MetricsSink } from "./sink.js";

type Kind = "counter" | "gauge" | "histogram";
interface Def { kind: Kind; help: string; labels: string[]; buckets?: number[] }

const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
  0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];
/** 10 ns to 1000 s, decades (the work queue's buckets). */
const QUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);
const WQ = ["name", "controller"];

/** controller-runtime's metric names with their kinds and label names. */
export const CONTROLLER_RUNTIME_METRICS: Readonly<Record<string, Def>> = {
  controller_runtime_reconcile_total: { kind: "counter", help: "Total number of reconciliations per controller", labels: ["controller", "result"] },
  controller_runtime_reconcile_errors_total: { kind: "counter", help: "Total number of reconciliation errors per controller", labels: ["controller"] },
  controller_runtime_terminal_reconcile_errors_total: { kind: "counter", help: "Total number of terminal reconciliation errors per controller", labels: ["controller"] },
  controller_runtime_reconcile_timeouts_total: { kind: "counter", help: "Total number of reconciliation timeouts per controller", labels: ["controller"] },
  controller_runtime_reconcile_time_seconds: { kind: "histogram", help: "Length of time per reconciliation per controller", labels: ["controller"], buckets: RECONCILE_BUCKETS },
  controller_runtime_max_concurrent_reconciles: { kind: "gauge", help: "Maximum number of concurrent reconciles per controller", labels: ["controller"] },
  controller_runtime_active_workers: { kind: "gauge", help: "Number of currently used workers per controller", labels: ["controller"] },
  workqueue_depth: { kind: "gauge", help: "Current depth of workqueue", labels: WQ },
  workqueue_adds_total: { kind: "counter", help: "Total number of adds handled by workqueue", labels: WQ },
  workqueue_queue_duration_seconds: { kind: "histogram", help: "How long in seconds an item stays in workqueue before being requested", labels: WQ, buckets: QUEUE_BUCKETS },
  workqueue_work_duration_seconds: { kind: "histogram", help: "How long in seconds processing an item from workqueue takes", labels: WQ, buckets: QUEUE_BUCKETS },
  workqueue_retries_total: { kind: "counter", help: "Total number of retries handled by workqueue", labels: WQ },
  workqueue_unfinished_work_seconds: { kind: "gauge", help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration", labels: WQ },
  workqueue_longest_running_processor_seconds: { kind: "gauge", help: "How many seconds has the longest running processor for workqueue been running", labels: WQ },
  rest_client_requests_total: { kind: "counter", help: "Number of HTTP requests, partitioned by status code, method, and host", labels: ["code", "method", "host"] },
  controller_runtime_webhook_requests_total: { kind: "counter", help: "Total number of admission requests by HTTP status code.", labels: ["webhook", "code"] },
  controller_runtime_webhook_requests_in_flight: { kind: "gauge", help: "Current number of admission requests being served.", labels: ["webhook"] },
  controller_runtime_webhook_latency_seconds: { kind: "histogram", help: "Histogram of the latency of processing admission requests", labels: ["webhook"] },
  leader_election_master_status: { kind: "gauge", help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master", labels: ["name"] },
};

type Metric = Counter<string> | Gauge<string> | Histogram<string>;

/** Options of {@link PromMetrics}. */
export interface PromMetricsOptions {
  /** Also collect Node's process metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...). Default: true. */
  processMetrics?: boolean;
}

/**
 * The manager's metrics: a MetricsSink over a prom-client {@link Registry}. Names not in
 * {@link CONTROLLER_RUNTIME_METRICS} are created on first use with the labels of that call.
 * Labels are normalized to the metric's label set (missing ones become `""`, unknown ones are
 * dropped; a workqueue's `name` and `controller` default to each other), so a sink call never throws.
 */
export class PromMetrics implements MetricsSink {
  /** The registry served on /metrics. */
  readonly registry = new Registry();
  private readonly metrics = new Map<string, { def: Def; metric: Metric }>();

  constructor(opts: PromMetricsOptions = {}) {
    for (const [name, def] of Object.entries(CONTROLLER_RUNTIME_METRICS)) this.register(name, def);
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  inc(name: string, labels: Record<string, string>, value = 1): void {
    const m = this.get(name, "counter", labels);
    if (m.metric instanceof Counter) m.metric.inc(this.labels(m.def, labels), value);
    else if (m.metric instanceof Gauge) m.metric.inc(this.labels(m.def, labels), value);
  }

  set(name: string, labels: Record<string, string>, value: number): void {
    const m = this.get(name, "gauge", labels);
    if (m.metric instanceof Gauge) m.metric.set(this.labels(m.def, labels), value);
  }

  observe(name: string, labels: Record<string, string>, value: number): void {
    const m = this.get(name, "histogram", labels);
    if (m.metric instanceof Histogram) m.metric.observe(this.labels(m.def, labels), value);
  }

  /** The text exposition format, as served on /metrics. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private get(name: string, kind: Kind, labels: Record<string, string>): { def: Def; metric: Metric } {
    return this.metrics.get(name) ?? this.register(name, { kind, help: name.replaceAll("_", " "), labels: Object.keys(labels) });
  }

  private register(name: string, def: Def): { def: Def; metric: Metric } {
    const cfg = { name, help: def.help, labelNames: def.labels, registers: [this.registry] };
    const metric = def.kind === "counter" ? new Counter(cfg)
      : def.kind === "gauge" ? new Gauge(cfg)
      : new Histogram(def.buckets ? { ...cfg, buckets: def.buckets } : cfg);
    const entry = { def, metric };
    this.metrics.set(name, entry);
    return entry;
  }

  private labels(def: Def, given: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of def.labels) {
      out[l] = given[l] ?? (l === "name" ? given.controller : l === "controller" ? given.name : undefined) ?? "";
    }
    return out;
  }
}
