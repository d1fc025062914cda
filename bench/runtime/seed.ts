// Shared by the runtime benchmarks (compare.ts, restart.ts, footprint.ts): Memcacheds created already
// converged, as a workload's reconcile leaves them, and a process's CPU ticks.
import { readFileSync } from "node:fs";
import { Deployment } from "../../src/runtime/kinds/index.js";
import type { Observer } from "./observer.js";
import { deploymentFor } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";

/** The bench's workloads: the operator-sdk tutorial's reconcile, or the example's own. */
export type Workload = "tutorial" | "example";

const FINALIZER = "cache.example.com/finalizer";

/** utime + stime of a process in clock ticks (10 ms), NaN once it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    // fields after comm: state(0) ppid(1) ... utime(11) stime(12)
    return Number(f[11]) + Number(f[12]);
  } catch {
    return NaN;
  }
}

/** The status the workload's reconcile leaves on a Memcached whose Deployment has no replicas yet (no kube-controller-manager). */
export function settledStatus(workload: Workload, name: string, size: number): NonNullable<Memcached["status"]> {
  const t = "2026-01-01T00:00:00Z";
  if (workload === "tutorial") return { conditions: [{ type: "Available", status: "True", reason: "Reconciling", message: `Deployment for custom resource (${name}) with ${size} replicas created successfully`, lastTransitionTime: t }] };
  const g = { observedGeneration: 1, lastTransitionTime: t };
  return {
    observedGeneration: 1,
    conditions: [
      { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: `0/${size} replicas available`, ...g },
      { type: "Progressing", status: "True", reason: "Reconciling", message: `Deployment ${name} is rolling out ${size} replicas`, ...g },
      { type: "Degraded", status: "False", reason: "AsExpected", message: "", ...g },
    ],
  };
}

/** Creates `n` Memcacheds mc-0.. in `namespace`, already in the workload's converged state (32 requests in flight). */
export async function seedConverged(client: Observer["client"], workload: Workload, n: number, namespace: string): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) {
      const i = next++;
      const name = `mc-${i}`;
      const size = (i % 5) + 1;
      const mc = await client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace, finalizers: [FINALIZER] }, spec: { size } });
      await client.create(Deployment, deploymentFor(mc));
      await client.patchStatus(Memcached, name, { status: settledStatus(workload, name, size) }, { namespace, type: "merge" });
    }
  }));
}
