// The memcached example operator as its own process for bench/runtime/compare.ts: the example's
// reconciler under a Manager with the client rate limit set explicitly (the example's main.ts has no
// --qps flag). Prints {"ev":"first-reconcile","t":<unix ms>} on stdout at the first reconcile and
// {"ev":"exit","reconciles":N} after SIGTERM.
// Flags: --kubeconfig PATH --qps 20 --burst 30 (--qps 0: no client-side limit) --log-level info
import { Manager, createLogger, type LogLevel, type ReconcileContext, type Request } from "tsop/runtime";
import { MemcachedReconciler } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : def;
};

class BenchReconciler extends MemcachedReconciler {
  calls = 0;
  override reconcile(req: Request, ctx: ReconcileContext): ReturnType<MemcachedReconciler["reconcile"]> {
    if (this.calls++ === 0) process.stdout.write(`${JSON.stringify({ ev: "first-reconcile", t: Date.now() })}\n`);
    return super.reconcile(req, ctx);
  }
}

const mgr = await Manager.create({
  kubeconfig: flag("kubeconfig", ""),
  qps: Number(flag("qps", "20")),
  burst: Number(flag("burst", "30")),
  metricsBindAddress: "0",
  healthProbeBindAddress: "0",
  leaderElection: false,
  logger: createLogger({ level: flag("log-level", "info") as LogLevel }),
});
const r = new BenchReconciler();
r.setupWithManager(mgr);
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
await mgr.start(stop.signal);
process.stdout.write(`${JSON.stringify({ ev: "exit", reconciles: r.calls })}\n`);
