/**
 * Default versions of the control-plane binaries and where tsop caches them.
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** Kubernetes version used when none is given. */
export const DEFAULT_K8S_VERSION = "1.37.2";

/** kwok release built for simulated nodes (sigs.k8s.io/kwok; independent of the Kubernetes version). */
export const KWOK_VERSION = "0.8.0";

/** etcd release that each Kubernetes minor ships with (kubeadm's defaults; for 1.36+ the etcd its go.mod requires). */
const ETCD_FOR_MINOR: Record<string, string> = {
  "1.30": "3.5.15",
  "1.31": "3.5.15",
  "1.32": "3.5.16",
  "1.33": "3.5.21",
  "1.34": "3.6.4",
  "1.35": "3.6.5",
  "1.36": "3.6.8",
  "1.37": "3.7.0",
};

/** The etcd version to pair with a Kubernetes version (the newest known one for newer minors). */
export function etcdVersionFor(k8sVersion: string): string {
  const minor = k8sVersion.split(".").slice(0, 2).join(".");
  return ETCD_FOR_MINOR[minor] ?? "3.7.0";
}

/** The Kubernetes version asked for by the environment: `TSOP_ENVTEST_K8S_VERSION`, else the default (not yet validated). */
export function requestedK8sVersion(env: NodeJS.ProcessEnv = process.env): string {
  return env["TSOP_ENVTEST_K8S_VERSION"] ?? DEFAULT_K8S_VERSION;
}

/** Normalizes `v1.34.2` / `1.34.2` to `1.34.2`; returns undefined when it is not `X.Y.Z`. */
export function normalizeK8sVersion(v: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/** `${XDG_CACHE_HOME:-~/.cache}/tsop/envtest`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(base, "tsop", "envtest");
}
