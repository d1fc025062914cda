/**
 * The manager's options and the one function that fills in their defaults.
 * @module
 */
import type { Logger } from "../log/types.js";
import type { LogLevel } from "../log/log.js";

/** Options of `Manager.create`. Every field is optional; see each field's default. */
export interface ManagerOptions {
  /** Path of a kubeconfig file. Default: $KUBECONFIG, then ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** Context in the kubeconfig. Default: its current-context. */
  context?: string;
  /** Namespaces the caches watch. Default: from WATCH_NAMESPACE (comma list), else all namespaces. */
  namespaces?: string[];
  /** `host:port` of the metrics server; `"0"` disables it. Default: `":8080"`, or `":8443"` when `metricsSecure`. */
  metricsBindAddress?: string;
  /** Serve metrics over HTTPS behind TokenReview + SubjectAccessReview. Default: false. */
  metricsSecure?: boolean;
  /** Directory holding the metrics server's certificate. Default: none (a self-signed one is generated). */
  metricsCertPath?: string;
  /** Certificate file name inside `metricsCertPath`. Default: `"tls.crt"`. */
  metricsCertName?: string;
  /** Key file name inside `metricsCertPath`. Default: `"tls.key"`. */
  metricsCertKey?: string;
  /** Allow HTTP/2 on the metrics server. Default: false (HTTP/1.1 only, against Rapid Reset). */
  enableHTTP2?: boolean;
  /** Interface the webhook server listens on. Default: all interfaces. */
  webhookHost?: string;
  /** Port of the webhook server (started only when a webhook is registered). Default: 9443. */
  webhookPort?: number;
  /** Directory of the webhook serving certificate. Default: `/tmp/k8s-webhook-server/serving-certs`. */
  webhookCertPath?: string;
  /** Certificate file name inside `webhookCertPath`. Default: `"tls.crt"`. */
  webhookCertName?: string;
  /** Key file name inside `webhookCertPath`. Default: `"tls.key"`. */
  webhookCertKey?: string;
  /** `host:port` of /healthz and /readyz; `"0"` disables it. Default: `":8081"`. */
  healthProbeBindAddress?: string;
  /** Run controllers only while holding the Lease. Default: false. */
  leaderElection?: boolean;
  /** Name of the Lease. Required when `leaderElection` is on (kubebuilder: `<hash>.<domain>`). Default: none. */
  leaderElectionID?: string;
  /** Namespace of the Lease. Default: the in-cluster namespace, else the kubeconfig's, else `"default"`. */
  leaderElectionNamespace?: string;
  /** Lease duration in ms. Default: 15000. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up, in ms. Default: 10000. */
  renewDeadlineMs?: number;
  /** Interval between acquire/renew attempts in ms. Default: 2000. */
  retryPeriodMs?: number;
  /**
   * What to do when the Lease is lost: `"exit"` stops the manager and `start()` rejects with
   * LeaderElectionLostError (a generated main.ts then exits with code 1 and Kubernetes restarts the
   * pod as a standby), like controller-runtime; `"reelect"` stops the leader-only runnables and
   * campaigns again, starting them anew when it wins — only for runnables that can be started more
   * than once (tsop's Controller cannot: its work queue is shut down on stop). Default: `"exit"`.
   */
  onLeaderLost?: "exit" | "reelect";
  /** How long in-flight reconciles may run after a stop signal, in ms. Default: 30000. */
  gracefulShutdownTimeoutMs?: number;
  /** Check at startup that the manager's identity may do what its controllers need. Default: true. */
  rbacSelfCheck?: boolean;
  /** Logger. Default: JSON lines on stderr (readable lines with `development`). */
  logger?: Logger;
  /** Log level of the default logger. Default: `"info"` (`"debug"` with `development`). */
  logLevel?: LogLevel;
  /** Readable logs and debug level. Default: false. */
  development?: boolean;
  /** Client-side requests per second (`--kube-api-qps`); 0 or less: none. Default: none, like controller-runtime (the apiserver's priority and fairness limits; 429 + Retry-After is honoured). */
  qps?: number;
  /** Client-side burst when `qps` is set (`--kube-api-burst`). Default: 30. */
  burst?: number;
  /** Workers per controller unless its builder sets `maxConcurrentReconciles` (`--max-concurrent-reconciles`). Default: 1. */
  maxConcurrentReconciles?: number;
  /** Reconcile timeout of every controller unless its builder sets one, in ms (`--reconcile-timeout`). Default: 0, none. */
  reconcileTimeoutMs?: number;
  /**
   * Warm replicas: controllers start their informers and queue the initial lists before the Lease
   * is won, so a new leader reconciles at once (a builder's `warmUp` overrides it). Only matters
   * with leader election. Default: false.
   */
  warmUp?: boolean;
  /** Handle SIGTERM/SIGINT when `start()` gets no signal. Default: true. */
  handleSignals?: boolean;
}

/** Options with every default applied (what the manager uses). */
export interface ResolvedManagerOptions extends Required<Omit<ManagerOptions,
  "kubeconfig" | "context" | "namespaces" | "metricsCertPath" | "leaderElectionID" |
  "leaderElectionNamespace" | "logger" | "qps" | "burst" | "webhookHost" | "maxConcurrentReconciles" | "reconcileTimeoutMs">> {
  webhookHost: string | undefined;
  kubeconfig: string | undefined;
  context: string | undefined;
  namespaces: string[] | undefined;
  metricsCertPath: string | undefined;
  leaderElectionID: string | undefined;
  leaderElectionNamespace: string | undefined;
  logger: Logger | undefined;
  qps: number | undefined;
  burst: number | undefined;
  maxConcurrentReconciles: number | undefined;
  reconcileTimeoutMs: number | undefined;
}

/** Splits `WATCH_NAMESPACE` (`"a"` or `"a,b"`) into namespaces; empty means all namespaces. */
export function namespacesFromEnv(value: string | undefined): string[] | undefined {
  const list = (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  return list.length ? [...new Set(list)] : undefined;
}

/** Applies every default of {@link ManagerOptions} in one place. */
export function applyManagerDefaults(o: ManagerOptions, env: NodeJS.ProcessEnv = process.env): ResolvedManagerOptions {
  const secure = o.metricsSecure ?? false;
  const development = o.development ?? false;
  return {
    kubeconfig: o.kubeconfig,
    context: o.context,
    namespaces: o.namespaces?.length ? o.namespaces : namespacesFromEnv(env.WATCH_NAMESPACE),
    metricsBindAddress: o.metricsBindAddress ?? (secure ? ":8443" : ":8080"),
    metricsSecure: secure,
    metricsCertPath: o.metricsCertPath || undefined,
    metricsCertName: o.metricsCertName ?? "tls.crt",
    metricsCertKey: o.metricsCertKey ?? "tls.key",
    enableHTTP2: o.enableHTTP2 ?? false,
    webhookHost: o.webhookHost,
    webhookPort: o.webhookPort ?? 9443,
    webhookCertPath: o.webhookCertPath || "/tmp/k8s-webhook-server/serving-certs",
    webhookCertName: o.webhookCertName ?? "tls.crt",
    webhookCertKey: o.webhookCertKey ?? "tls.key",
    healthProbeBindAddress: o.healthProbeBindAddress ?? ":8081",
    leaderElection: o.leaderElection ?? false,
    leaderElectionID: o.leaderElectionID,
    leaderElectionNamespace: o.leaderElectionNamespace,
    leaseDurationMs: o.leaseDurationMs ?? 15_000,
    renewDeadlineMs: o.renewDeadlineMs ?? 10_000,
    retryPeriodMs: o.retryPeriodMs ?? 2_000,
    onLeaderLost: o.onLeaderLost ?? "exit",
    gracefulShutdownTimeoutMs: o.gracefulShutdownTimeoutMs ?? 30_000,
    rbacSelfCheck: o.rbacSelfCheck ?? true,
    logger: o.logger,
    logLevel: o.logLevel ?? (development ? "debug" : "info"),
    development,
    qps: o.qps,
    burst: o.burst,
    maxConcurrentReconciles: o.maxConcurrentReconciles,
    reconcileTimeoutMs: o.reconcileTimeoutMs,
    warmUp: o.warmUp ?? false,
    handleSignals: o.handleSignals ?? true,
  };
}
