// The operator's footprint after a restart, for quick A/B of memory and startup changes: one local
// control plane (tsop/envtest) with N Memcacheds, converged once by a first operator process; then
// each variant (a bundle plus node flags) is spawned --runs times against those N objects and
// measured until it is idle (no CPU tick for 1.5 s): spawn -> first reconcile with the startup
// phases the operator reports, peak RSS (VmHWM) with its anonymous / file-backed split, and the
// operator's own V8 breakdown (process.memoryUsage() and heap spaces, printed when it stops).
// Variants alternate within each run. Run through footprint.mjs, which bundles this and the operator.
// Usage: node bench/runtime/footprint.mjs [--n 1000] [--runs 3] [--workload example|tutorial]
//   [--variant name=--flag,--flag,ENV=value]... [--bundle name=path]  (default variant: plain `node`;
//   NAME=value entries of a variant are set in the operator's environment, e.g. MALLOC_ARENA_MAX=2)
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { Environment } from "../../src/envtest/index.js";
import { startObserver } from "./observer.js";
import { cpuTicks } from "./seed.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { all, opt } from "./args.js";

const N = Number(opt("n", "1000"));
const RUNS = Number(opt("runs", "3"));
const WORKLOAD = opt("workload", "example");
const BUNDLES = new Map(all("bundle").map((b) => b.split("=", 2) as [string, string]));
const DEFAULT_BUNDLE = opt("tsop-bundle", "");
// A directory: /proc/<pid>/smaps of each measured process is copied there before it stops.
const SMAPS_DIR = opt("smaps", "");
/** name -> [bundle, node flags] */
const variants: [string, string, string[]][] = (all("variant").length ? all("variant") : ["node="]).map((v) => {
  const [name, flags = ""] = v.split(/=(.*)/s, 2) as [string, string?];
  const [bundleName, ...rest] = name.split("@");
  const label = rest.length ? name : bundleName as string;
  return [label, rest.length ? (BUNDLES.get(rest[0] as string) ?? DEFAULT_BUNDLE) : DEFAULT_BUNDLE, flags.split(",").filter(Boolean)];
});

const ENV_ENTRY = /^[A-Z][A-Z0-9_]*=/;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ticks = cpuTicks;
const kib = (pid: number, key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
const mib = (k: number): number => +(k / 1024).toFixed(1);

interface Result { variant: string; run: number; startupMs: number; phases?: Record<string, number>; idleMs: number; cpuS: number; peakRssMiB: number; rssAnonMiB: number; rssFileMiB: number; v8?: Record<string, number>; load: number }

async function runOnce(bundle: string, flags: string[], kubeconfig: string, untilConverged?: () => boolean, label = "first"): Promise<Omit<Result, "variant" | "run">> {
  const spawnedAt = Date.now();
  // NAME=value entries of a variant are environment variables (MALLOC_ARENA_MAX=2), the rest node flags.
  const envs = Object.fromEntries(flags.filter((f) => ENV_ENTRY.test(f)).map((f) => f.split(/=(.*)/s, 2) as [string, string]));
  const nodeFlags = flags.filter((f) => !ENV_ENTRY.test(f));
  const p = spawn(process.execPath, [...nodeFlags, bundle, "--kubeconfig", kubeconfig, "--workload", WORKLOAD, "--workers", "4", "--log-level", "info"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...envs } });
  let first: { t: number; phases?: Record<string, number> } | undefined;
  let exit: { v8?: Record<string, number> } | undefined;
  let buf = "";
  let tail = "";
  p.stdout.on("data", (c: Buffer) => {
    buf += c.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const e = JSON.parse(line) as { ev: string; t: number; phases?: Record<string, number>; v8?: Record<string, number> };
        if (e.ev === "first-reconcile") first = e;
        if (e.ev === "exit") exit = e;
      } catch { /* not ours */ }
    }
  });
  p.stderr.on("data", (c: Buffer) => { tail = (tail + c.toString()).slice(-2000); });
  const exited = new Promise<void>((r) => p.on("exit", () => r()));
  const pid = p.pid as number;
  while (!first) {
    if (p.exitCode !== null) throw new Error(`operator exited: ${tail}`);
    await sleep(5);
  }
  let last = ticks(pid);
  let quiet = Date.now();
  while (Date.now() - quiet < 1500 || (untilConverged && !untilConverged())) {
    await sleep(100);
    const t = ticks(pid);
    if (t !== last) { last = t; quiet = Date.now(); }
  }
  const r = { startupMs: first.t - spawnedAt, ...(first.phases ? { phases: first.phases } : {}), idleMs: quiet - spawnedAt, cpuS: ticks(pid) / 100, peakRssMiB: mib(kib(pid, "VmHWM")), rssAnonMiB: mib(kib(pid, "RssAnon")), rssFileMiB: mib(kib(pid, "RssFile")), load: +(loadavg()[0] as number).toFixed(2) };
  if (SMAPS_DIR) writeFileSync(join(SMAPS_DIR, `${label}.smaps`), readFileSync(`/proc/${pid}/smaps`));
  p.kill("SIGTERM");
  await exited;
  return { ...r, ...(exit?.v8 ? { v8: exit.v8 } : {}) };
}

const env = new Environment({ crdDirectoryPaths: [resolve("examples/memcached-operator/config/crd/bases")] });
const started = await env.start();
try {
  const observer = await startObserver(started.kubeconfigPath);
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < N) {
      const i = next++;
      await observer.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name: `mc-${i}`, namespace: "default" }, spec: { size: (i % 5) + 1 } });
    }
  }));
  const settled = (): boolean => observer.cache.informerFor(Memcached).list().every((m) => (m.status?.conditions?.length ?? 0) > 0);
  const first = await runOnce(variants[0]?.[1] as string, [], started.kubeconfigPath, settled);
  console.error(`# converged ${N} (first operator: ${(first.idleMs / 1000).toFixed(1)} s, peak ${first.peakRssMiB} MiB); load ${loadavg()[0]?.toFixed(2)}`);
  await observer.close();
  const results: Result[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const order = run % 2 ? variants : [...variants].reverse();
    for (const [variant, bundle, flags] of order) {
      const r = { variant, run, ...(await runOnce(bundle, flags, started.kubeconfigPath, undefined, `${variant}-${run}`)) };
      results.push(r);
      console.log(JSON.stringify(r));
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  };
  console.error(`\n| variant (N=${N}, ${WORKLOAD}, medians of ${RUNS}) | startup ms | loaded ms | idle s | CPU s | peak RSS | anon | file | heapUsed | heapTotal | external |`);
  console.error("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [variant] of variants) {
    const rs = results.filter((r) => r.variant === variant);
    const m = (f: (r: Result) => number | undefined): number => median(rs.map((r) => f(r) ?? NaN));
    console.error(`| ${variant} | ${m((r) => r.startupMs)} | ${m((r) => r.phases?.loaded)} | ${(m((r) => r.idleMs) / 1000).toFixed(1)} | ${m((r) => r.cpuS)} | ${m((r) => r.peakRssMiB)} | ${m((r) => r.rssAnonMiB)} | ${m((r) => r.rssFileMiB)} | ${m((r) => r.v8?.heapUsedMiB)} | ${m((r) => r.v8?.heapTotalMiB)} | ${m((r) => r.v8?.externalMiB)} |`);
  }
  console.error(`load average (1 min): ${Math.min(...results.map((r) => r.load))}–${Math.max(...results.map((r) => r.load))}`);
} finally {
  await env.stop();
}
