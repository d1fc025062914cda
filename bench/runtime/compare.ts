// tsop vs controller-runtime: the memcached example operator (bench/runtime/operator.ts, bundled) and
// its controller-runtime peer (bench/runtime/peer-go, built) as separate processes, measured
// alternately, each on a fresh local control plane (tsop/envtest) so both start from the same empty
// etcd. Per measurement: a sentinel Memcached exists before the operator starts (startup = process
// spawn -> first reconcile); then a separate unthrottled client creates N Memcacheds (32 in flight)
// and waits until all have converged (same definition as converge.ts: Deployment with replicas = size
// and controller owner, status with 3 conditions and observedGeneration = generation, seen through a
// watch). Reported: time to converge, peak RSS (VmHWM) and CPU time (utime+stime) of the operator
// process at convergence, CPU of etcd + kube-apiserver while converging, apiserver write requests
// made by the operator (from the apiserver's apiserver_request_total, minus the bench's creates and
// the apiserver's own Lease renewals), and reconciles. Run through compare.mjs, which builds both operators.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { Environment } from "../../src/envtest/index.js";
import { Deployment } from "../../src/runtime/index.js";
import { startObserver } from "./observer.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] as string) : def;
};
const N = Number(opt("n", "1000"));
const RUNS = Number(opt("runs", "3"));
const QPS = Number(opt("qps", "20"));
const BURST = Number(opt("burst", "30"));
const LOG_LEVEL = opt("log-level", "info");
const TSOP_BUNDLE = opt("tsop-bundle", "");
const GO_BINARY = opt("go-binary", "");
const ONLY = opt("only", "");
// shared: one token bucket for all of the Go operator's clients, as tsop has (default); per-client:
// controller-runtime's own default, one bucket per REST client (per kind, plus one for events).
const PEER_LIMITER = opt("peer-limiter", "shared");
const CRDS = resolve("examples/memcached-operator/config/crd/bases");
const NS = "default";
const CLK_TCK = 100;

type Op = "tsop" | "controller-runtime";
interface Sample {
  op: Op; run: number; n: number; qps: number; burst: number; peerLimiter: string;
  startupMs: number; createdMs: number; convergedMs: number;
  peakRssMiB: number; rssMiB: number; cpuS: number; controlPlaneCpuS: number;
  operatorWrites: number; writesByKind: Record<string, number>; reconciles: number | null;
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

/** Write requests (POST/PUT/PATCH/DELETE) by resource[/subresource] from apiserver_request_total. */
function writesByKind(metrics: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of metrics.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(labels.verb ?? "")) continue;
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ""}`;
    out[key] = (out[key] ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return out;
}

async function measure(op: Op, run: number): Promise<Sample> {
  const env = new Environment({ crdDirectoryPaths: [CRDS] });
  const started = await env.start();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const observer = await startObserver(started.kubeconfigPath);
    const { client, cache } = observer;
    const mk = (name: string, size: number): Memcached => ({ apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: NS }, spec: { size } });
    await client.create(Memcached, mk("startup", 1));
    const before = writesByKind(await apiserverMetrics(started.server, started.tls));

    const qpsArgs = ["--qps", String(QPS), "--burst", String(BURST), "--log-level", LOG_LEVEL === "info" ? "info" : "error"];
    const cmd = op === "tsop" ? [process.execPath, TSOP_BUNDLE, "--kubeconfig", started.kubeconfigPath, ...qpsArgs] : [GO_BINARY, "--kubeconfig", started.kubeconfigPath, "--limiter", PEER_LIMITER, ...qpsArgs];
    let firstReconcile: number | undefined;
    let reconciles: number | null = null;
    let stderrTail = "";
    const spawnedAt = Date.now();
    const proc = spawn(cmd[0] as string, cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    const exited = new Promise<void>((r) => proc.on("exit", () => r()));
    let buf = "";
    proc.stdout?.on("data", (c: Buffer) => {
      buf += c.toString();
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const e = JSON.parse(line) as { ev: string; t?: number; reconciles?: number };
          if (e.ev === "first-reconcile") firstReconcile = e.t;
          if (e.ev === "exit") reconciles = e.reconciles ?? null;
        } catch { /* not ours */ }
      }
    });
    proc.stderr?.on("data", (c: Buffer) => { stderrTail = (stderrTail + c.toString()).slice(-3000); });
    const pid = proc.pid as number;
    while (firstReconcile === undefined) {
      if (proc.exitCode !== null) throw new Error(`${op} exited: ${stderrTail}`);
      if (Date.now() - spawnedAt > 60_000) throw new Error(`${op}: no reconcile after 60 s: ${stderrTail}`);
      await sleep(5);
    }
    const startupMs = firstReconcile - spawnedAt;

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
    for (;;) {
      const mcs = await cache.list(Memcached, { namespace: NS });
      const deps = new Map((await cache.list(Deployment, { namespace: NS })).map((d) => [d.metadata?.name, d]));
      let done = 0;
      for (const mc of mcs) {
        const d = deps.get(mc.metadata?.name);
        if (
          mc.status?.observedGeneration === mc.metadata?.generation &&
          mc.status?.conditions?.length === 3 &&
          d?.spec?.replicas === mc.spec?.size &&
          d?.metadata?.ownerReferences?.[0]?.uid === mc.metadata?.uid &&
          d?.metadata?.ownerReferences?.[0]?.controller === true
        ) done++;
      }
      if (done === N + 1) break;
      if (proc.exitCode !== null) throw new Error(`${op} exited: ${stderrTail}`);
      if (performance.now() - t0 > 900_000) throw new Error(`${op}: not converged after 900 s: ${done}/${N + 1}`);
      await sleep(50);
    }
    const convergedMs = performance.now() - t0;
    const cpuS = (procStat(pid)?.cpuTicks ?? NaN) / CLK_TCK;
    const peakRssMiB = statusKiB(pid, "VmHWM") / 1024;
    const rssMiB = statusKiB(pid, "VmRSS") / 1024;
    const controlPlaneCpuS = controlPlaneCpu() - cp0;
    const load1 = loadavg()[0] as number;
    // Settle: let the operator's trailing reconciles (of its own writes) finish before counting writes.
    await sleep(2000);
    const after = writesByKind(await apiserverMetrics(started.server, started.tls));
    const delta: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) delta[k] = v - (before[k] ?? 0);
    // Not the operator's: the bench's N creates, and kube-apiserver's own identity Lease renewals
    // (PUT leases, ~1 per 10 s; neither operator runs leader election).
    const operatorWrites = Object.entries(delta).reduce((a, [k, v]) => a + (k === "PUT leases" ? 0 : v), 0) - N;
    proc.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000)]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    await observer.close();
    return { op, run, n: N, qps: QPS, burst: BURST, peerLimiter: PEER_LIMITER, startupMs, createdMs: Math.round(createdMs), convergedMs: Math.round(convergedMs), peakRssMiB: +peakRssMiB.toFixed(1), rssMiB: +rssMiB.toFixed(1), cpuS: +cpuS.toFixed(2), controlPlaneCpuS: +controlPlaneCpuS.toFixed(1), operatorWrites, writesByKind: delta, reconciles, load: [+load0.toFixed(2), +load1.toFixed(2)] };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
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
console.error(`# n=${N} runs=${RUNS} qps=${QPS} burst=${BURST} peer-limiter=${PEER_LIMITER} log-level=${LOG_LEVEL}; load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
for (let run = 1; run <= RUNS; run++) {
  const order = run % 2 === 1 ? ops : [...ops].reverse();
  for (const op of order) {
    const s = await measure(op, run);
    samples.push(s);
    console.log(JSON.stringify(s));
  }
}
const fields = ["startupMs", "convergedMs", "cpuS", "peakRssMiB", "controlPlaneCpuS", "operatorWrites", "reconciles"] as const;
const med: Record<string, Record<string, number>> = {};
for (const op of ops) {
  med[op] = {};
  for (const f of fields) med[op][f] = median(samples.filter((s) => s.op === op).map((s) => Number(s[f])));
}
const loads = samples.flatMap((s) => s.load);
console.log(JSON.stringify({ summary: { n: N, runs: RUNS, qps: QPS, burst: BURST, peerLimiter: PEER_LIMITER, median: med, load: [Math.min(...loads), Math.max(...loads)] } }));
if (ops.length === 2) {
  console.error("| median | tsop | controller-runtime | tsop / controller-runtime |");
  console.error("|---|---|---|---|");
  for (const f of fields) {
    const a = med.tsop?.[f] as number;
    const b = med["controller-runtime"]?.[f] as number;
    console.error(`| ${f} | ${a} | ${b} | ${(a / b).toFixed(2)}x |`);
  }
  console.error(`load average (1 min) during the runs: ${Math.min(...loads)}–${Math.max(...loads)}`);
}
