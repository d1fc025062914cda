// Time-to-converge of the memcached example operator for N Memcacheds on a local control plane
// (tsop/envtest): creates N CRs while the controller runs and waits until every one has its
// Deployment (replicas = size, controller owner) and status (3 conditions, observedGeneration).
// Usage: node bench/runtime/run.mjs [--n 1000] [--qps 20] [--burst 30] [--workers 1]
import { resolve } from "node:path";
import { Environment } from "../../src/envtest/index.js";
import { Manager, createLogger, type ReconcileContext, type Request } from "../../src/runtime/index.js";
import { Deployment } from "../../src/runtime/kinds/index.js";
import { startObserver } from "./observer.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { MemcachedReconciler } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";
import { opt } from "./args.js";

const arg = (name: string, def: number): number => Number(opt(name, String(def)));
const N = arg("n", 1000);
const QPS = arg("qps", 20);
const BURST = arg("burst", 30);
const WORKERS = arg("workers", 1);
// Run from the repository root (run.mjs does).
const CRDS = resolve("examples/memcached-operator/config/crd/bases");

class CountingReconciler extends MemcachedReconciler {
  calls = 0;
  override reconcile(req: Request, ctx: ReconcileContext): ReturnType<MemcachedReconciler["reconcile"]> {
    this.calls++;
    return super.reconcile(req, ctx);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const env = new Environment({ crdDirectoryPaths: [CRDS] });
  const started = await env.start();
  try {
    const mgr = await Manager.create({ kubeconfig: started.kubeconfigPath, metricsBindAddress: "0", healthProbeBindAddress: "0", leaderElection: false, qps: QPS, burst: BURST, logger: createLogger({ level: "warn" }) });
    const r = new CountingReconciler();
    r.setupWithManager(mgr);
    if (WORKERS > 1) throw new Error("--workers needs a builder option in the example; not wired in this bench");
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    while (!mgr.cache.isReady()) await sleep(20);

    // A separate, unthrottled client creates the CRs and observes convergence through its own cache.
    const observer = await startObserver(started.kubeconfigPath);
    const { client, cache } = observer;

    const t0 = performance.now();
    const names = Array.from({ length: N }, (_, i) => `mc-${i}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < names.length) {
          const i = next++;
          await client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name: names[i] as string, namespace: "default" }, spec: { size: (i % 5) + 1 } });
        }
      }),
    );
    const created = performance.now() - t0;
    let done = 0;
    for (;;) {
      const mcs = await cache.list(Memcached, { namespace: "default" });
      const deps = new Map((await cache.list(Deployment, { namespace: "default" })).map((d) => [d.metadata?.name, d]));
      done = 0;
      for (const mc of mcs) {
        const d = deps.get(mc.metadata?.name);
        const ok =
          mc.status?.observedGeneration === mc.metadata?.generation &&
          mc.status?.conditions?.length === 3 &&
          d?.spec?.replicas === mc.spec?.size &&
          d?.metadata?.ownerReferences?.[0]?.uid === mc.metadata?.uid;
        if (ok) done++;
      }
      if (done === N) break;
      if (performance.now() - t0 > 900_000) throw new Error(`not converged after 900 s: ${done}/${N}`);
      await sleep(50);
    }
    const converged = performance.now() - t0;
    const rss = process.memoryUsage().rss / 2 ** 20;
    console.log(JSON.stringify({ n: N, qps: QPS, burst: BURST, createdMs: Math.round(created), convergedMs: Math.round(converged), reconciles: r.calls, rssMiB: Math.round(rss) }));
    await observer.close();
    stop.abort();
    await running;
  } finally {
    await env.stop();
  }
}

await main();
