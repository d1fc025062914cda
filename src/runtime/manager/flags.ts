/**
 * `parseManagerFlags`: kubebuilder's manager flags (`--leader-elect`, `--metrics-bind-address`, ...)
 * turned into {@link ManagerOptions}.
 * @module
 */
import { didYouMean } from "../../did-you-mean.js";
import { UserError } from "../../errors.js";
import { LOG_LEVELS, type LogLevel } from "../log/log.js";
import type { ManagerOptions } from "./options.js";

type Setter = (o: ManagerOptions, v: string) => void;
interface Flag { bool: boolean; set: Setter; help: string }

const bool = (s: string, flag: string): boolean => {
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  throw new UserError("invalid-flag", `--${flag} takes true or false, not "${s}"`, { hint: `write --${flag}, --${flag}=true or --${flag}=false` });
};

const FLAGS: Record<string, Flag> = {
  "metrics-bind-address": { bool: false, set: (o, v) => { o.metricsBindAddress = v; }, help: "address of the metrics endpoint, \"0\" disables it (default 0)" },
  "health-probe-bind-address": { bool: false, set: (o, v) => { o.healthProbeBindAddress = v; }, help: "address of /healthz and /readyz (default :8081)" },
  "leader-elect": { bool: true, set: (o, v) => { o.leaderElection = bool(v, "leader-elect"); }, help: "run controllers only on the elected leader" },
  "metrics-secure": { bool: true, set: (o, v) => { o.metricsSecure = bool(v, "metrics-secure"); }, help: "serve metrics over HTTPS with authn/authz (default true)" },
  "metrics-cert-path": { bool: false, set: (o, v) => { o.metricsCertPath = v; }, help: "directory of the metrics server certificate" },
  "metrics-cert-name": { bool: false, set: (o, v) => { o.metricsCertName = v; }, help: "certificate file name (default tls.crt)" },
  "metrics-cert-key": { bool: false, set: (o, v) => { o.metricsCertKey = v; }, help: "key file name (default tls.key)" },
  "enable-http2": { bool: true, set: (o, v) => { o.enableHTTP2 = bool(v, "enable-http2"); }, help: "allow HTTP/2 on the metrics server" },
  "webhook-cert-path": { bool: false, set: (o, v) => { o.webhookCertPath = v; }, help: "directory of the webhook server certificate (default /tmp/k8s-webhook-server/serving-certs)" },
  "webhook-cert-name": { bool: false, set: (o, v) => { o.webhookCertName = v; }, help: "webhook certificate file name (default tls.crt)" },
  "webhook-cert-key": { bool: false, set: (o, v) => { o.webhookCertKey = v; }, help: "webhook key file name (default tls.key)" },
  "webhook-port": { bool: false, set: (o, v) => { o.webhookPort = port(v); }, help: "port of the webhook server (default 9443)" },
  "kubeconfig": { bool: false, set: (o, v) => { o.kubeconfig = v; }, help: "path of a kubeconfig file" },
  "context": { bool: false, set: (o, v) => { o.context = v; }, help: "kubeconfig context" },
  "leader-election-id": { bool: false, set: (o, v) => { o.leaderElectionID = v; }, help: "name of the Lease" },
  "leader-election-namespace": { bool: false, set: (o, v) => { o.leaderElectionNamespace = v; }, help: "namespace of the Lease" },
  "graceful-shutdown-timeout": { bool: false, set: (o, v) => { o.gracefulShutdownTimeoutMs = duration(v, "graceful-shutdown-timeout"); }, help: "time in-flight reconciles get after a stop signal (default 30s)" },
  "kube-api-qps": { bool: false, set: (o, v) => { o.qps = number(v, "kube-api-qps", 0); }, help: "client-side requests per second to the apiserver, 0 = no limit (default 0: the apiserver's priority and fairness limits)" },
  "kube-api-burst": { bool: false, set: (o, v) => { o.burst = integer(v, "kube-api-burst", 1); }, help: "client-side burst when --kube-api-qps is set (default 30)" },
  "max-concurrent-reconciles": { bool: false, set: (o, v) => { o.maxConcurrentReconciles = integer(v, "max-concurrent-reconciles", 1); }, help: "workers per controller unless the controller sets its own (default 1)" },
  "reconcile-timeout": { bool: false, set: (o, v) => { o.reconcileTimeoutMs = duration(v, "reconcile-timeout"); }, help: "abort a reconcile's ctx.signal after this long, e.g. 30s; 0 = none (default 0)" },
  "log-level": { bool: false, set: (o, v) => { o.logLevel = level(v); }, help: `one of ${LOG_LEVELS.join(", ")}` },
  "zap-log-level": { bool: false, set: (o, v) => { o.logLevel = level(v); }, help: "alias of --log-level" },
  "development": { bool: true, set: (o, v) => { o.development = bool(v, "development"); }, help: "readable logs, debug level" },
  "zap-devel": { bool: true, set: (o, v) => { o.development = bool(v, "zap-devel"); }, help: "alias of --development" },
};

function level(v: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  throw new UserError("invalid-flag", `--log-level "${v}" is not a level`, { hint: `use one of ${LOG_LEVELS.join(", ")}` });
}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UserError("invalid-flag", `--webhook-port "${v}" is not a port`, { hint: "use a number from 0 to 65535, e.g. 9443" });
  return n;
}

/** A number of at least `min`. */
function number(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < min) throw new UserError("invalid-flag", `--${flag} "${v}" is not a number of at least ${min}`, { hint: `e.g. --${flag}=${min === 0 ? 50 : 4}` });
  return n;
}

/** An integer of at least `min`. */
function integer(v: string, flag: string, min: number): number {
  const n = number(v, flag, min);
  if (!Number.isInteger(n)) throw new UserError("invalid-flag", `--${flag} "${v}" is not a whole number`, { hint: `e.g. --${flag}=4` });
  return n;
}

/** Parses `30s`, `1m`, `500ms` or plain milliseconds. */
function duration(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new UserError("invalid-flag", `--${flag} "${v}" is not a duration`, { hint: "use e.g. 30s, 500ms or 1m" });
  const n = Number(m[1]);
  return Math.round(m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n);
}

/** The flag names {@link parseManagerFlags} accepts, with a one-line help each. */
export function managerFlagHelp(): string {
  return Object.entries(FLAGS).map(([k, f]) => `  --${k}${f.bool ? "" : " <value>"}  ${f.help}`).join("\n");
}

/**
 * Parses kubebuilder's manager flags. Defaults follow kubebuilder's main.go: metrics disabled
 * (`--metrics-bind-address=0`) and secure when enabled, probes on :8081, leader election off.
 * `--flag=value` and `--flag value` both work; booleans also as bare `--flag`. An unknown flag or a
 * bad value throws a {@link UserError} naming it.
 */
export function parseManagerFlags(argv: readonly string[]): ManagerOptions {
  const o: ManagerOptions = { metricsBindAddress: "0", metricsSecure: true, healthProbeBindAddress: ":8081" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") break;
    const m = /^--?([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const flag = m ? FLAGS[m[1] as string] : undefined;
    if (!m || !flag) {
      const near = m ? didYouMean(m[1] as string, Object.keys(FLAGS)) : undefined;
      const hint = near ? `did you mean --${near}?` : `known flags: ${Object.keys(FLAGS).map((f) => `--${f}`).join(", ")}`;
      throw new UserError("unknown-flag", `unknown flag "${arg}"`, { hint });
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (flag.bool) value = next === "true" || next === "false" ? (i++, next) : "true";
      else if (next === undefined) throw new UserError("invalid-flag", `--${m[1]} needs a value`, { hint: `write --${m[1]}=VALUE; ${flag.help}` });
      else value = (i++, next);
    }
    flag.set(o, value);
  }
  return o;
}

