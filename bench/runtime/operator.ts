// The memcached operator as its own process for bench/runtime/compare.ts: the example's reconciler
// (--workload example) or the operator-sdk tutorial's (--workload tutorial, bench/runtime/tutorial.ts)
// under a Manager. Prints {"ev":"first-reconcile","t":<unix ms>} on stdout at the first reconcile
// and {"ev":"exit","reconciles":N} after SIGTERM.
// Flags: --kubeconfig PATH --workload example|tutorial --workers 4 --log-level info
//   --qps Q --burst B (absent: the Manager's default; --qps 0: no client-side limit)
import { Manager, createLogger, type ReconcileContext, type Reconciler, type Request } from "tsop/runtime";
import type { LogLevel } from "tsop/runtime/log";
import { MemcachedReconciler } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";
import { TutorialReconciler } from "./tutorial.js";
import { flag } from "./args.js";

// Milliseconds since the process started, at each startup phase: process.uptime(), not
// performance.now(), whose first use loads perf_hooks (1-3 ms the operator itself does not spend).
const sinceStart = (): number => Math.round(process.uptime() * 1000);
const phases: Record<string, number> = { loaded: sinceStart() };
const workload = flag("workload") ?? "example";
const workers = Number(flag("workers") ?? "4");
const qps = flag("qps");
const burst = flag("burst");

let calls = 0;
/** Counts reconciles and reports the first one (the instance's own `reconcile` shadows the class's). */
function counting<R extends Reconciler>(r: R): R {
  const inner = r.reconcile.bind(r);
  r.reconcile = (req: Request, ctx: ReconcileContext): ReturnType<Reconciler["reconcile"]> => {
    if (calls++ === 0) {
      phases.firstReconcile = sinceStart();
      process.stdout.write(`${JSON.stringify({ ev: "first-reconcile", t: Date.now(), phases })}\n`);
    }
    return inner(req, ctx);
  };
  return r;
}

const mgr = await Manager.create({
  kubeconfig: flag("kubeconfig") ?? "",
  ...(qps !== undefined ? { qps: Number(qps) } : {}),
  ...(burst !== undefined ? { burst: Number(burst) } : {}),
  metricsBindAddress: "0",
  healthProbeBindAddress: "0",
  leaderElection: false,
  logger: createLogger({ level: (flag("log-level") ?? "info") as LogLevel }),
});
phases.created = sinceStart();
// The example's setupWithManager builds its controller without options: hand it a view of the
// Manager whose builders carry the worker count.
const scoped = Object.create(mgr) as Manager;
scoped.controller = (name: string) => mgr.controller(name).withOptions({ maxConcurrentReconciles: workers });
if (workload === "tutorial") counting(new TutorialReconciler()).setupWithManager(scoped);
else if (workload === "example") counting(new MemcachedReconciler()).setupWithManager(scoped);
else throw new Error(`--workload: example or tutorial, got ${workload}`);
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
phases.start = sinceStart();
await mgr.start(stop.signal);
process.stdout.write(`${JSON.stringify({ ev: "exit", reconciles: calls, v8: await v8Breakdown() })}\n`);

/** process.memoryUsage() and V8's heap spaces (committed size), in MiB, as the process stops. */
async function v8Breakdown(): Promise<Record<string, number>> {
  // node:v8 loaded only now, so it is not part of what the measurement sees.
  const { getHeapSpaceStatistics } = await import("node:v8");
  const mib = (b: number): number => +(b / 1048576).toFixed(2);
  const u = process.memoryUsage();
  const out: Record<string, number> = { rssMiB: mib(u.rss), heapTotalMiB: mib(u.heapTotal), heapUsedMiB: mib(u.heapUsed), externalMiB: mib(u.external), arrayBuffersMiB: mib(u.arrayBuffers) };
  for (const s of getHeapSpaceStatistics()) out[`${s.space_name}MiB`] = mib(s.space_size);
  return out;
}
