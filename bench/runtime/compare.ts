// tsop vs controller-runtime: the memcached operator written with each (bench/runtime/operator.ts,
// bundled; bench/runtime/peer-go, built) as separate processes, measured alternately, each
// measurement on a fresh local control plane (tsop/envtest) so both start from an empty etcd.
// Workloads: "tutorial" (the operator-sdk tutorial's reconcile: status Unknown, finalizer, Deployment,
// status Available; full-object updates) and "example" (examples/memcached-operator's own: finalizer
// patch, Deployment, one status merge patch). Client limit: "default" (each side's default settings)
// or "off" (--qps 0 on both).
// Per measurement: a sentinel Memcached exists before the operator starts (startup = process spawn
// -> first reconcile, next to a bare `node -e` spawn -> first output); then a separate unthrottled
// client creates N Memcacheds (32 in flight) and waits until all have converged, seen through a watch.
// Reported: time to converge, peak RSS (VmHWM) and CPU time (utime+stime) of the operator at
// convergence, CPU of etcd + kube-apiserver while converging, the operator's writes and 409s per
// object (the apiserver's apiserver_request_total, minus the bench's creates and kube-apiserver's own
// Lease renewals), reconciles. Then the restart: SIGTERM, a new operator process is spawned and a new
// Memcached created at once; reported: spawn -> that object converged, the restarted process's
// startup and its peak RSS by then. Run through compare.mjs, which builds both operators.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { Environment } from "../../src/envtest/index.js";
import { Deployment } from "../../src/runtime/kinds/index.js";
import { memoryCgroup } from "./cgroup.js";
import { startObserver, type Observer } from "./observer.js";
import { seedConverged, type Workload } from "./seed.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { has, opt } from "./args.js";

const N = Number(opt("n", "1000"));
const RUNS = Number(opt("runs", "3"));
const WORKERS = Number(opt("workers", "4"));
const WORKLOADS = opt("workloads", "tutorial,example").split(",") as Workload[];
const LIMITS = opt("limits", "default,off").split(",") as Limit[];
const LOG_LEVEL = opt("log-level", "info");
const TSOP_BUNDLE = opt("tsop-bundle", "");
const GO_BINARY = opt("go-binary", "");
const ONLY = opt("only", "");
const RESTART = opt("restart", "yes") !== "no";
// --seed: skip the first operator; the bench itself creates N objects in their converged state
// (Memcached with finalizer and status, its Deployment), then measures only the restart. For
// N = 10,000 on a shared 2-core machine, where a full first convergence takes too long.
const SEED = has("seed");
// Extra node flags for the tsop operator, comma-separated (e.g. --heapsnapshot-signal=SIGUSR2).
const NODE_ARGS = opt("node-args", "").split(",").filter(Boolean);
// --memory-limit MiB: each operator process (both sides) runs in a memory cgroup with this limit, as
// in a pod (the scaffold's manager.yaml: 256Mi); see cgroup.ts. 0: no cgroup.
const MEMORY_LIMIT_MIB = Number(opt("memory-limit", "0"));
if (!Number.isInteger(MEMORY_LIMIT_MIB) || MEMORY_LIMIT_MIB < 0) {
  console.error(`error: --memory-limit: expected a whole number of MiB (e.g. 256), got ${opt("memory-limit", "")}`);
  process.exit(1);
}
const cgroup = MEMORY_LIMIT_MIB > 0 ? memoryCgroup(MEMORY_LIMIT_MIB) : undefined;
// A directory: the tsop operator writes a heap snapshot there at convergence (after RSS is read).
const HEAP_SNAPSHOT_DIR = opt("heap-snapshot", "");
if (HEAP_SNAPSHOT_DIR) NODE_ARGS.push("--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${HEAP_SNAPSHOT_DIR}`);
const CRDS = resolve("examples/memcached-operator/config/crd/bases");
const NS = "default";
const CLK_TCK = 100;
const FINALIZER = "cache.example.com/finalizer";

type Op = "tsop" | "controller-runtime";
type Limit = "default" | "off";
interface Sample {
  op: Op; workload: Workload; limit: Limit; run: number; n: number; workers: number;
  nodeStartMs: number; startupMs: number; phases?: Record<string, number>; createdMs: number; convergedMs: number;
  peakRssMiB: number; rssMiB: number; rssAnonMiB: number; rssFileMiB: number; cpuS: number; controlPlaneCpuS: number;
  operatorWrites: number; writesPerObject: number; conflicts: number; conflictsPerObject: number; throttled: number;
  writesByKind: Record<string, number>; reconciles: number | null;
  restart?: { newObjectMs: number; startupMs: number; peakRssMiB: number; idleMs: number; idlePeakRssMiB: number; cpuS: number };
  seeded?: boolean;
  load: [number, number];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


function procStat(pid: number): { ppid: number; comm: string; cpuTicks: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = s.lastIndexOf(")");
    const comm = s.slice(s.indexOf("(") + 1, close);
    const f = s.slice(close + 2).split(" ");
    // fields after comm: state(0) ppid(1) ... utime(11) stime(12)
    return { ppid: Number(f[1]), comm, cpuTicks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

function statusKiB(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** CPU seconds of the etcd and kube-apiserver processes descending from this process. */
function controlPlaneCpu(): number {
  const all = new Map<number, { ppid: number; comm: string; cpuTicks: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = procStat(Number(d));
    if (s) all.set(Number(d), s);
  }
  const descends = (pid: number): boolean => {
    for (let p = pid, i = 0; p > 1 && i < 20; i++) {
      if (p === process.pid) return true;
      p = all.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of all) if ((s.comm === "etcd" || s.comm === "kube-apiserver") && descends(pid)) ticks += s.cpuTicks;
  return ticks / CLK_TCK;
}

function apiserverMetrics(server: string, tls: { ca: string; cert: string; key: string }): Promise<string> {
  return new Promise((res, rej) => {
    const req = request(`${server}/metrics`, { ca: tls.ca, cert: tls.cert, key: tls.key }, (r) => {
      let body = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (body += c));
      r.on("end", () => res(body));
    });
    req.on("error", rej);
    req.end();
  });
}

interface Requests { writes: Record<string, number>; codes: Record<string, number> }

/** Write requests (POST/PUT/PATCH/DELETE) by verb and resource[/subresource], and all requests by code, from apiserver_request_total. */
function requestCounts(metrics: string): Requests {
  const writes: Record<string, number> = {};
  const codes: Record<string, number> = {};
  for (const line of metrics.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    codes[labels.code ?? "?"] = (codes[labels.code ?? "?"] ?? 0) + value;
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(labels.verb ?? "")) continue;
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ""}`;
    writes[key] = (writes[key] ?? 0) + value;
  }
  return { writes, codes };
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) if (v - (a[k] ?? 0) > 0) out[k] = v - (a[k] ?? 0);
  return out;
}

/** Milliseconds from spawning a bare `node -e` to its first output: Node's own start on this machine now. */
async function nodeStart(): Promise<number> {
  const t = performance.now();
  const p = spawn(process.execPath, ["-e", "process.stdout.write('r')"], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise<void>((r) => p.stdout?.once("data", () => r()));
  const ms = performance.now() - t;
  await new Promise<void>((r) => (p.exitCode !== null ? r() : p.once("exit", () => r())));
  return Math.round(ms);
}

type Mc = Memcached;
type Dep = NonNullable<(typeof Deployment)["__object"]>;

/** Whether a Memcached and its Deployment are where the workload's reconcile leaves them. */
function converged(workload: Workload, mc: Mc, d: Dep | undefined): boolean {
  const owned = d?.metadata?.ownerReferences?.[0]?.uid === mc.metadata?.uid && d?.metadata?.ownerReferences?.[0]?.controller === true && d?.spec?.replicas === mc.spec?.size;
  if (!owned) return false;
  if (workload === "example") return mc.status?.observedGeneration === mc.metadata?.generation && mc.status?.conditions?.length === 3;
  return (mc.metadata?.finalizers ?? []).includes(FINALIZER) && mc.status?.conditions?.some((c) => c.type === "Available" && c.status === "True") === true;
}

/** A running operator process: its first-reconcile time and reconcile count come from its stdout. */
interface Proc {
  pid: number;
  spawnedAt: number;
  firstReconcile?: number;
  phases?: Record<string, number>;
  reconciles: number | null;
  tail(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

function spawnOperator(op: Op, workload: Workload, limit: Limit, kubeconfig: string): Proc {
  const common = ["--kubeconfig", kubeconfig, "--workload", workload, "--workers", String(WORKERS), "--log-level", LOG_LEVEL === "info" ? "info" : "error", ...(limit === "off" ? ["--qps", "0"] : [])];
  const cmd = op === "tsop" ? [process.execPath, ...NODE_ARGS, TSOP_BUNDLE, ...common] : [GO_BINARY, ...common];
  let stderrTail = "";
  let buf = "";
  const spawnedAt = Date.now();
  const run = cgroup ? cgroup.wrap(cmd) : cmd;
  const proc = spawn(run[0] as string, run.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((r) => proc.on("exit", () => r()));
  const p: Proc = {
    pid: proc.pid as number,
    spawnedAt,
    reconciles: null,
    tail: () => stderrTail,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async stop() {
      if (!p.alive()) return;
      proc.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
      if (p.alive()) proc.kill("SIGKILL");
      await exited;
    },
  };
  proc.stdout?.on("data", (c: Buffer) => {
    buf += c.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const e = JSON.parse(line) as { ev: string; t?: number; reconciles?: number; phases?: Record<string, number> };
        if (e.ev === "first-reconcile") {
          p.firstReconcile = e.t;
          if (e.phases) p.phases = e.phases;
        }
        if (e.ev === "exit") p.reconciles = e.reconciles ?? null;
      } catch { /* not ours */ }
    }
  });
  proc.stderr?.on("data", (c: Buffer) => { stderrTail = (stderrTail + c.toString()).slice(-3000); });
  return p;
}

async function waitFirstReconcile(op: Op, p: Proc): Promise<number> {
  while (p.firstReconcile === undefined) {
    if (!p.alive()) throw new Error(`${op} exited: ${p.tail()}`);
    if (Date.now() - p.spawnedAt > 300_000) throw new Error(`${op}: no reconcile after 300 s: ${p.tail()}`);
    await sleep(5);
  }
  return p.firstReconcile - p.spawnedAt;
}

/** CPU ticks of a process, or NaN once it is gone. */
const ticks = (pid: number): number => procStat(pid)?.cpuTicks ?? NaN;

/**
 * A new operator process with the existing objects, and one new object created as it starts:
 * spawn -> that object converged; then until the process is idle (no CPU for 2 s: the initial
 * list worked off), its peak RSS and CPU by then.
 */
async function restartPhase(op: Op, workload: Workload, limit: Limit, kubeconfig: string, procs: Proc[], observer: Observer, mk: (name: string, size: number) => Mc, isDone: (mc: Mc | undefined) => boolean): Promise<NonNullable<Sample["restart"]>> {
  const again = spawnOperator(op, workload, limit, kubeconfig);
  procs.push(again);
  await observer.client.create(Memcached, mk("late", 2));
  let lateMs: number;
  for (;;) {
    if (isDone(observer.peek(Memcached, "late", NS))) { lateMs = Date.now() - again.spawnedAt; break; }
    if (!again.alive()) throw new Error(`${op} (restarted) exited: ${again.tail()}`);
    if (Date.now() - again.spawnedAt > 600_000) throw new Error(`${op}: new object not converged 600 s after the restart`);
    await sleep(10);
  }
  const startupMs = await waitFirstReconcile(op, again);
  const peakRssMiB = +(statusKiB(again.pid, "VmHWM") / 1024).toFixed(1);
  let last = ticks(again.pid);
  let quietSince = Date.now();
  while (Date.now() - quietSince < 2000 && Date.now() - again.spawnedAt < 900_000) {
    await sleep(250);
    const t = ticks(again.pid);
    if (t !== last) { last = t; quietSince = Date.now(); }
  }
  const idleMs = quietSince - again.spawnedAt;
  const idlePeakRssMiB = +(statusKiB(again.pid, "VmHWM") / 1024).toFixed(1);
  const cpuS = +(ticks(again.pid) / CLK_TCK).toFixed(2);
  await again.stop();
  return { newObjectMs: lateMs, startupMs, peakRssMiB, idleMs, idlePeakRssMiB, cpuS };
}

async function measure(op: Op, workload: Workload, limit: Limit, run: number): Promise<Sample> {
  const env = new Environment({ crdDirectoryPaths: [CRDS] });
  const started = await env.start();
  const procs: Proc[] = [];
  try {
    const observer = await startObserver(started.kubeconfigPath);
    const { client, cache, peek } = observer;
    const mk = (name: string, size: number): Mc => ({ apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: NS }, spec: { size } });
    const isDone = (mc: Mc | undefined): boolean => !!mc && converged(workload, mc, peek(Deployment, mc.metadata?.name ?? "", NS));
    await client.create(Memcached, mk("startup", 1));
    if (SEED) {
      const t = performance.now();
      await seedConverged(client, workload, N, NS);
      console.error(`# seeded ${N} converged Memcacheds in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const nodeStartMs = await nodeStart();
      const restart = await restartPhase(op, workload, limit, started.kubeconfigPath, procs, observer, mk, isDone);
      await observer.close();
      const nan = NaN;
      return { op, workload, limit, run, n: N, workers: WORKERS, seeded: true, nodeStartMs, startupMs: restart.startupMs, createdMs: nan, convergedMs: nan, peakRssMiB: nan, rssMiB: nan, rssAnonMiB: nan, rssFileMiB: nan, cpuS: nan, controlPlaneCpuS: nan, operatorWrites: nan, writesPerObject: nan, conflicts: nan, conflictsPerObject: nan, throttled: nan, writesByKind: {}, reconciles: null, restart, load: [+(loadavg()[0] as number).toFixed(2), +(loadavg()[0] as number).toFixed(2)] };
    }
    const before = requestCounts(await apiserverMetrics(started.server, started.tls));

    const nodeStartMs = await nodeStart();
    const proc = spawnOperator(op, workload, limit, started.kubeconfigPath);
    procs.push(proc);
    const startupMs = await waitFirstReconcile(op, proc);

    const load0 = loadavg()[0] as number;
    const cp0 = controlPlaneCpu();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < N) {
          const i = next++;
          await client.create(Memcached, mk(`mc-${i}`, (i % 5) + 1));
        }
      }),
    );
    const createdMs = performance.now() - t0;
    const pollMs = Math.max(50, N / 20);
    for (;;) {
      let done = 0;
      for (const mc of await cache.list(Memcached, { namespace: NS })) if (isDone(mc)) done++;
      if (done === N + 1) break;
      if (!proc.alive()) throw new Error(`${op} exited: ${proc.tail()}`);
      if (performance.now() - t0 > 1_800_000) throw new Error(`${op}: not converged after 1800 s: ${done}/${N + 1}`);
      await sleep(pollMs);
    }
    const convergedMs = performance.now() - t0;
    const cpuS = (procStat(proc.pid)?.cpuTicks ?? NaN) / CLK_TCK;
    const peakRssMiB = statusKiB(proc.pid, "VmHWM") / 1024;
    const rssMiB = statusKiB(proc.pid, "VmRSS") / 1024;
    // Anonymous memory (heaps, stacks) vs file-backed pages (the binary, shared libraries).
    const rssAnonMiB = statusKiB(proc.pid, "RssAnon") / 1024;
    const rssFileMiB = statusKiB(proc.pid, "RssFile") / 1024;
    const controlPlaneCpuS = controlPlaneCpu() - cp0;
    const load1 = loadavg()[0] as number;
    if (HEAP_SNAPSHOT_DIR && op === "tsop") process.kill(proc.pid, "SIGUSR2");
    // Settle: let the operator's trailing reconciles (of its own writes) finish before counting.
    await sleep(2000);
    const after = requestCounts(await apiserverMetrics(started.server, started.tls));
    const writes = diff(before.writes, after.writes);
    const codes = diff(before.codes, after.codes);
    // Not the operator's: the bench's N creates, and kube-apiserver's own identity Lease renewals
    // (PUT leases, ~1 per 10 s; neither operator runs leader election).
    const operatorWrites = Object.entries(writes).reduce((a, [k, v]) => a + (k === "PUT leases" ? 0 : v), 0) - N;
    const conflicts = codes["409"] ?? 0;
    await proc.stop();
    const sample: Sample = {
      op, workload, limit, run, n: N, workers: WORKERS, nodeStartMs, startupMs, ...(proc.phases ? { phases: proc.phases } : {}), createdMs: Math.round(createdMs), convergedMs: Math.round(convergedMs),
      peakRssMiB: +peakRssMiB.toFixed(1), rssMiB: +rssMiB.toFixed(1), rssAnonMiB: +rssAnonMiB.toFixed(1), rssFileMiB: +rssFileMiB.toFixed(1), cpuS: +cpuS.toFixed(2), controlPlaneCpuS: +controlPlaneCpuS.toFixed(1),
      operatorWrites, writesPerObject: +(operatorWrites / N).toFixed(2), conflicts, conflictsPerObject: +(conflicts / N).toFixed(3), throttled: codes["429"] ?? 0,
      writesByKind: writes, reconciles: proc.reconciles, load: [+load0.toFixed(2), +load1.toFixed(2)],
    };
    if (RESTART) sample.restart = await restartPhase(op, workload, limit, started.kubeconfigPath, procs, observer, mk, isDone);
    await observer.close();
    return sample;
  } finally {
    for (const p of procs) await p.stop();
    await env.stop();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const samples: Sample[] = [];
const ops: Op[] = ONLY ? [ONLY as Op] : ["tsop", "controller-runtime"];
console.error(`# n=${N} runs=${RUNS} workers=${WORKERS} workloads=${WORKLOADS} limits=${LIMITS} log-level=${LOG_LEVEL} node-args=${NODE_ARGS.join(",") || "none"} memory-limit=${MEMORY_LIMIT_MIB ? `${MEMORY_LIMIT_MIB} MiB (${cgroup?.dir})` : "none"}; load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
for (let run = 1; run <= RUNS; run++) {
  for (const workload of WORKLOADS) {
    for (const limit of LIMITS) {
      const order = run % 2 === 1 ? ops : [...ops].reverse();
      for (const op of order) {
        const s = await measure(op, workload, limit, run);
        samples.push(s);
        console.log(JSON.stringify({ ...s, nodeArgs: NODE_ARGS, memoryLimitMiB: MEMORY_LIMIT_MIB }));
      }
    }
  }
}
const fields: Record<string, (s: Sample) => number> = {
  convergedMs: (s) => s.convergedMs,
  cpuS: (s) => s.cpuS,
  peakRssMiB: (s) => s.peakRssMiB,
  writesPerObject: (s) => s.writesPerObject,
  conflictsPerObject: (s) => s.conflictsPerObject,
  nodeStartMs: (s) => s.nodeStartMs,
  startupMs: (s) => s.startupMs,
  restartNewObjectMs: (s) => s.restart?.newObjectMs ?? NaN,
  restartStartupMs: (s) => s.restart?.startupMs ?? NaN,
  restartPeakRssMiB: (s) => s.restart?.peakRssMiB ?? NaN,
  restartIdleMs: (s) => s.restart?.idleMs ?? NaN,
  restartIdlePeakRssMiB: (s) => s.restart?.idlePeakRssMiB ?? NaN,
  controlPlaneCpuS: (s) => s.controlPlaneCpuS,
};
for (const workload of WORKLOADS) {
  for (const limit of LIMITS) {
    const med: Record<string, Record<string, number>> = {};
    for (const op of ops) {
      med[op] = {};
      for (const [f, get] of Object.entries(fields)) med[op][f] = median(samples.filter((s) => s.op === op && s.workload === workload && s.limit === limit).map(get));
    }
    console.log(JSON.stringify({ summary: { n: N, runs: RUNS, workers: WORKERS, workload, limit, median: med } }));
    if (ops.length !== 2) continue;
    console.error(`\n| ${workload}, client limit ${limit}, n=${N}, median of ${RUNS} | tsop | controller-runtime | ratio |`);
    console.error("|---|---|---|---|");
    for (const f of Object.keys(fields)) {
      const a = med.tsop?.[f] as number;
      const b = med["controller-runtime"]?.[f] as number;
      console.error(`| ${f} | ${a} | ${b} | ${(a / b).toFixed(2)}x |`);
    }
  }
}
cgroup?.remove();
const loads = samples.flatMap((s) => s.load);
console.error(`load average (1 min) during the runs: ${Math.min(...loads)}–${Math.max(...loads)}`);
