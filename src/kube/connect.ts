/**
 * A transport to the cluster of a kubeconfig, through tsop's own kubeconfig loader and REST client
 * (no @kubernetes/client-node), turning "no answer at all" into one line that says what to check.
 * @module
 */
import { UserError } from "../errors.js";
import type { KubeTransport } from "./transport.js";

/** Which kubeconfig and context to use (kubectl's flags). */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

/** A connection to one cluster. */
export interface Cluster {
  /** The apiserver URL, for messages. */
  server: string;
  send: KubeTransport;
  close(): void;
}

/** Loads the kubeconfig (a missing or broken one is the loader's one-line UserError) and connects. */
export async function connect(flags: ClusterFlags, userAgent = "tsop-cli"): Promise<Cluster> {
  const { loadKubeConfig } = await import("../runtime/client/kubeconfig.js");
  const { RestClient } = await import("../runtime/client/rest.js");
  const { ApiError } = await import("../runtime/client/errors.js");
  const config = await loadKubeConfig({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
  const rest = new RestClient(config, { userAgent, maxRetries: 2, qps: 0, requestTimeoutMs: 30_000 });
  const send: KubeTransport = async (req) => {
    try {
      const value = await rest.request<unknown>({ method: req.method, path: req.path, query: req.query, body: req.body, contentType: req.contentType });
      return { status: 200, body: value === undefined ? "" : JSON.stringify(value) };
    } catch (err) {
      if (err instanceof ApiError && err.code !== 0) return { status: err.code, body: JSON.stringify(err.status ?? { message: err.message }) };
      throw unreachable(config.server, err);
    }
  };
  return { server: config.server, send, close: () => rest.close() };
}

/** The one-line error for a request that got no answer. */
export function unreachable(server: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)).split("\n")[0];
  return new UserError("cluster-unreachable", `cannot reach the cluster at ${server}: ${why}`, {
    hint: "check that it is running and that --kubeconfig/--context (or $KUBECONFIG) point at it",
    cause: err,
  });
}
