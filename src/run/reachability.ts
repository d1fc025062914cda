/**
 * `tsop run` against a cluster that does not answer: the operator retries forever (as a controller
 * should), so tsop itself probes the apiserver and, when nothing answered within a bounded wait,
 * prints one line saying which server, from which kubeconfig and context, and what to do. Any
 * HTTP answer (even 401/403) counts as reachable; the probe stops at the first one.
 * @module
 */
import { homedir } from "node:os";
import * as path from "node:path";
import { unreachable } from "../kube/connect.js";

/** How long `tsop run` waits for the apiserver to answer before saying it does not. */
export const UNREACHABLE_AFTER_MS = 10_000;
const PROBE_TIMEOUT_MS = 3_000;
const PROBE_INTERVAL_MS = 1_000;

/** Where the operator's kubeconfig comes from: tsop's --kubeconfig, the operator's own flags, or the environment. */
export interface KubeconfigSource {
  kubeconfig?: string;
  context?: string;
}

/** `--kubeconfig`/`--context` among the operator's own arguments (`--flag=v` or `--flag v`). */
export function operatorClusterFlags(args: readonly string[]): KubeconfigSource {
  const out: KubeconfigSource = {};
  args.forEach((a, i) => {
    const m = /^--(kubeconfig|context)(?:=(.*))?$/.exec(a);
    if (!m) return;
    const v = m[2] ?? args[i + 1];
    if (v !== undefined) out[m[1] as "kubeconfig" | "context"] = v;
  });
  return out;
}

/** The kubeconfig file(s) a source names, for messages. */
function describeFiles(src: KubeconfigSource, env: NodeJS.ProcessEnv): string {
  if (src.kubeconfig) return src.kubeconfig;
  if (env["KUBECONFIG"]) return `$KUBECONFIG=${env["KUBECONFIG"]}`;
  return path.join(homedir(), ".kube", "config");
}

/**
 * Probes the cluster of `src` until it answers or `waitMs` passed; in the second case calls `warn`
 * once with one line. Stops early when `signal` aborts. Never throws.
 */
export async function warnIfUnreachable(src: KubeconfigSource, warn: (line: string) => void, signal: AbortSignal, waitMs = UNREACHABLE_AFTER_MS, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { loadKubeConfig } = await import("../runtime/client/kubeconfig.js");
  const { RestClient } = await import("../runtime/client/rest.js");
  const { ApiError } = await import("../runtime/client/errors.js");
  let config;
  try {
    config = await loadKubeConfig({ ...(src.kubeconfig ? { kubeconfig: src.kubeconfig } : {}), ...(src.context ? { context: src.context } : {}), env });
  } catch {
    return; // the kubeconfig was checked before the operator started; the operator reports the rest
  }
  const rest = new RestClient(config, { userAgent: "tsop-run-probe", maxRetries: 0, qps: 0, requestTimeoutMs: PROBE_TIMEOUT_MS });
  const deadline = Date.now() + waitMs;
  let last: unknown;
  try {
    while (!signal.aborted) {
      try {
        await rest.request({ method: "GET", path: "/version", signal });
        return;
      } catch (err) {
        if (err instanceof ApiError && err.code !== 0) return; // an answer, even a refusal
        last = err;
      }
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(PROBE_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
    }
    if (signal.aborted) return;
    const why = unreachable(config.server, last).message.replace(/^cannot reach the cluster at \S+: /, "");
    const from = `context "${config.contextName}" of kubeconfig ${describeFiles(src, env)}`;
    warn(`warning: the cluster at ${config.server} (${from}) has not answered for ${Math.round(waitMs / 1000)} s: ${why}; the operator keeps retrying (start the cluster or fix its address, pick another with --kubeconfig/--context or $KUBECONFIG, or run against a local control plane with tsop run --local)`);
  } finally {
    rest.close();
  }
}
