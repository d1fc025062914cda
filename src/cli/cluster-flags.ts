/**
 * kubectl's `--kubeconfig` and `--context`, for every command that talks to a cluster.
 * @module
 */
import type { Command } from "commander";
import type { ClusterFlags } from "../kube/connect.js";

/** Adds `--kubeconfig` and `--context` to `cmd`. */
export function withClusterFlags(cmd: Command): Command {
  return cmd
    .option("--kubeconfig <path>", "kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context to use (default: its current-context)");
}

/** The cluster flags of parsed options, without undefined values. */
export function clusterFlags(o: ClusterFlags): ClusterFlags {
  return { ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), ...(o.context ? { context: o.context } : {}) };
}
