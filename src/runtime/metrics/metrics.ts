/**
 * The manager's metrics: a MetricsSink that keeps controller-runtime's metrics (names and label
 * sets pre-registered) in plain maps and writes the Prometheus text format itself. prom-client is
 * loaded only when something needs it: Node's process metrics (on the first `text()`, or when the
 * metrics server starts) and metrics of your own registered on {@link PromMetrics.promRegistry}.
 * An operator with metrics off never loads it (about 5 MiB and tens of ms of startup).
 * @module
 */
import type { Registry } from "prom-client";
import type { MetricsSink } from "./sink.js";

type Kind = "counter" | "gauge" | "histogram";
interface Def { kind: Kind; help: string; labels: string[]; buckets?: number[] }

const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
  0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];
/** 10 ns to 1000 s, decades (the work queue's buckets). */
const QUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);
/** prom-client's (and client_golang's) default histogram buckets. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
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

/** Options of {@link PromMetrics}. */
export interface PromMetricsOptions {
  /** Also expose Node's process metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...) through prom-client. Default: true. */
  processMetrics?: boolean;
}

/** One label combination of a metric: its label values and value (counter, gauge) or bucket counts (histogram). */
interface Series { values: string[]; value: number; buckets?: Float64Array; count: number }
interface Family { name: string; def: Def; series: Map<string, Series> }

/** The Prometheus text exposition format's content type (version 0.0.4), as served on /metrics. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * The manager's metrics, a {@link MetricsSink} with controller-runtime's names. Names not in
 * {@link CONTROLLER_RUNTIME_METRICS} are created on first use with the labels of that call.
 * Labels are normalized to the metric's label set (missing ones become `""`, unknown ones are
 * dropped; a workqueue's `name` and `controller` default to each other), so a sink call never throws.
 */
export class PromMetrics implements MetricsSink {
  /** The content type of {@link PromMetrics.text}. */
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  private readonly families = new Map<string, Family>();
  private readonly processMetrics: boolean;
  private prom: Promise<Registry> | undefined;

  constructor(opts: PromMetricsOptions = {}) {
    this.processMetrics = opts.processMetrics ?? true;
    for (const [name, def] of Object.entries(CONTROLLER_RUNTIME_METRICS)) this.register(name, def);
  }

  inc(name: string, labels: Record<string, string>, value = 1): void {
    const f = this.families.get(name) ?? this.register(name, { kind: "counter", help: help(name), labels: Object.keys(labels) });
    if (f.def.kind !== "histogram") this.series(f, labels).value += value;
  }

  set(name: string, labels: Record<string, string>, value: number): void {
    const f = this.families.get(name) ?? this.register(name, { kind: "gauge", help: help(name), labels: Object.keys(labels) });
    if (f.def.kind === "gauge") this.series(f, labels).value = value;
  }

  observe(name: string, labels: Record<string, string>, value: number): void {
    const f = this.families.get(name) ?? this.register(name, { kind: "histogram", help: help(name), labels: Object.keys(labels) });
    if (f.def.kind !== "histogram") return;
    const s = this.series(f, labels);
    const bounds = f.def.buckets ?? DEFAULT_BUCKETS;
    const counts = (s.buckets ??= new Float64Array(bounds.length));
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        (counts[i] as number)++;
        break;
      }
    }
    s.value += value;
    s.count++;
  }

  /**
   * The prom-client registry for metrics of your own (`new Counter({ ..., registers: [reg] })`),
   * served on /metrics after the runtime's; Node's process metrics are registered there too
   * (unless `processMetrics: false`). Loads prom-client on first call.
   */
  promRegistry(): Promise<Registry> {
    this.prom ??= import("prom-client").then(({ Registry, collectDefaultMetrics }) => {
      const reg = new Registry();
      if (this.processMetrics) collectDefaultMetrics({ register: reg });
      return reg;
    });
    return this.prom;
  }

  /** Loads prom-client in the background when process metrics are on (the metrics server calls it as it starts). */
  warmUp(): void {
    if (this.processMetrics) void this.promRegistry().catch(() => undefined);
  }

  /** The text exposition format, as served on /metrics. */
  async text(): Promise<string> {
    const blocks: string[] = [];
    for (const f of this.families.values()) blocks.push(render(f));
    let out = blocks.join("\n");
    if (this.processMetrics || this.prom) {
      const extra = await (await this.promRegistry()).metrics();
      if (extra !== "") out += `\n${extra}`;
    }
    return out;
  }

  private register(name: string, def: Def): Family {
    const f: Family = { name, def, series: new Map() };
    this.families.set(name, f);
    return f;
  }

  private series(f: Family, given: Record<string, string>): Series {
    const names = f.def.labels;
    const values = new Array<string>(names.length);
    for (let i = 0; i < names.length; i++) {
      const l = names[i] as string;
      values[i] = given[l] ?? (l === "name" ? given.controller : l === "controller" ? given.name : undefined) ?? "";
    }
    const key = values.join("\u0000");
    let s = f.series.get(key);
    if (!s) f.series.set(key, (s = { values, value: 0, count: 0 }));
    return s;
  }
}

function help(name: string): string {
  return name.replaceAll("_", " ");
}

/** One metric in the text format: HELP, TYPE, then its samples (histograms: cumulative buckets, sum, count). */
function render(f: Family): string {
  const { name, def } = f;
  let out = `# HELP ${name} ${def.help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n")}\n# TYPE ${name} ${def.kind}\n`;
  if (def.labels.length === 0 && f.series.size === 0 && def.kind !== "histogram") out += `${name} 0\n`;
  for (const s of f.series.values()) {
    const labels = def.labels.map((l, i) => `${l}="${escapeLabel(s.values[i] as string)}"`);
    const braces = labels.length ? `{${labels.join(",")}}` : "";
    if (def.kind !== "histogram") {
      out += `${name}${braces} ${num(s.value)}\n`;
      continue;
    }
    const bounds = def.buckets ?? DEFAULT_BUCKETS;
    let cumulative = 0;
    const rest = labels.length ? `,${labels.join(",")}` : "";
    for (let i = 0; i < bounds.length; i++) {
      cumulative += s.buckets?.[i] ?? 0;
      out += `${name}_bucket{le="${num(bounds[i] as number)}"${rest}} ${cumulative}\n`;
    }
    out += `${name}_bucket{le="+Inf"${rest}} ${s.count}\n${name}_sum${braces} ${num(s.value)}\n${name}_count${braces} ${s.count}\n`;
  }
  return out;
}

function escapeLabel(v: string): string {
  return v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

function num(v: number): string {
  return v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : Number.isNaN(v) ? "NaN" : String(v);
}
