// Time from an EtcdCluster of size 5 applied to all 5 members healthy, with the example operator
// (examples/etcd-operator) in-process on a real kube-apiserver (tsop/envtest) and every member pod
// run as a real etcd process on loopback (the example's PodRunner). Prints one JSON line per run
// and a summary. Usage (through run.mjs, from the repository root): --runs 3 --size 5 [--nodes 3]
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Environment } from "tsop/envtest";
import { createLogger, Manager } from "tsop/runtime";
import { Pod } from "tsop/runtime/kinds";
import { EtcdCluster } from "../../examples/etcd-operator/src/api/etcd/v1alpha1/etcdcluster.js";
import { EtcdClusterReconciler } from "../../examples/etcd-operator/src/controllers/etcdcluster.controller.js";
import { EtcdClient } from "../../examples/etcd-operator/src/etcd/client.js";
import { LoopbackResolver } from "../../examples/etcd-operator/test/support/loopback-resolver.js";
import { PodRunner } from "../../examples/etcd-operator/test/support/pod-runner.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, size: { type: "string", default: "5" }, nodes: { type: "string", default: "0" } } });
// With --nodes N, kube-scheduler and kwok schedule the pods and report them Running (as in the
// example's e2e test); with 0, the PodRunner also writes pod status, like a kubelet.
const nodes = Number(values.nodes);
const runs = Number(values.runs);
const size = Number(values.size);
const NS = "default";

const env = new Environment({ crdDirectoryPaths: [join(process.cwd(), "examples/etcd-operator/config/crd/bases")], nodes });
const t0 = Date.now();
const started = await env.start();
const envStartMs = Date.now() - t0;
const resolver = await LoopbackResolver.create(16 * runs + 16);
const mgr = await Manager.create({ kubeconfig: started.kubeconfigPath, metricsBindAddress: "0", healthProbeBindAddress: "0", leaderElection: false, logger: createLogger({ level: "warn" }) });
new EtcdClusterReconciler({ resolver }).setupWithManager(mgr);
const stop = new AbortController();
const running = mgr.start(stop.signal);
const runner = new PodRunner(mgr.client, { namespace: NS, volumeRoot: "/tmp", reportStatus: nodes === 0 });
runner.start();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const results: { total: number; firstHealthy: number; adds: number[] }[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const name = `bench-${i}`;
    const from = runner.events.length;
    const start = Date.now();
    await mgr.client.create(EtcdCluster, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdCluster", metadata: { name, namespace: NS }, spec: { size, version: "3.7.0" } });
    let firstHealthy = 0;
    for (;;) {
      const c = await mgr.client.direct.get(EtcdCluster, name, { namespace: NS });
      const healthy = (c.status?.members ?? []).filter((m) => m.healthy && !m.learner);
      if (!firstHealthy && healthy.length >= 1) firstHealthy = Date.now() - start;
      if (healthy.length === size) {
        // Confirm with etcd itself: size voting members, every one answering /health.
        const list = await new EtcdClient(resolver.clientURL({ namespace: NS, cluster: name, name: healthy[0]?.name ?? "" })).memberList();
        const ok = list.length === size && list.every((m) => !m.isLearner) && (await Promise.all(list.map((m) => new EtcdClient(resolver.clientURL({ namespace: NS, cluster: name, name: m.name })).healthy()))).every(Boolean);
        if (ok) break;
      }
      if (Date.now() - start > 300_000) throw new Error(`${name}: not converged after 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const total = Date.now() - start;
    const startsAt = runner.events.slice(from).filter((e) => e.what === "started").map((e) => e.at - start);
    const adds = startsAt.slice(1).map((t, k) => t - (startsAt[k] ?? 0));
    results.push({ total, firstHealthy, adds });
    console.log(JSON.stringify({ run: i + 1, size, totalMs: total, seedHealthyMs: firstHealthy, podStartsMs: startsAt, gapsBetweenMemberStartsMs: adds }));
    await mgr.client.delete(EtcdCluster, name, { namespace: NS });
    for (const p of await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: `etcd.example.com/cluster=${name}` })) await mgr.client.delete(Pod, p.metadata?.name ?? "", { namespace: NS }).catch(() => undefined);
  }
  console.log(JSON.stringify({
    summary: true, runs, size, nodes, envStartMs,
    medianTotalMs: median(results.map((r) => r.total)), minTotalMs: Math.min(...results.map((r) => r.total)), maxTotalMs: Math.max(...results.map((r) => r.total)),
    medianSeedHealthyMs: median(results.map((r) => r.firstHealthy)),
    medianGapMs: median(results.flatMap((r) => r.adds)),
  }));
} finally {
  await runner.close();
  stop.abort();
  await running.catch(() => undefined);
  await env.stop();
}
