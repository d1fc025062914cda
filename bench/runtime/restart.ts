// A new object after a restart with N existing, many times on one seeded control plane: the bench
// creates N Memcacheds already converged (finalizer, Deployment, status) once, then restarts the
// operators in turn (tsop and/or controller-runtime, interleaved), each time creating one new
// Memcached as the process is spawned. Per restart: spawn -> first reconcile, spawn -> the new
// object converged, the operator's CPU per 250 ms (to see when it goes quiet) and its list timings.
// Seeding 10,000 takes minutes on a loaded machine; this measures many restarts for one seeding.
// Run through restart.mjs, which bundles the operator from the working tree.
// Flags: --n 10000 --reps 2 --operators tsop,controller-runtime --workload example --watch 40
//   --queue DIR: after the listed restarts, also run every DIR/*.mjs dropped there (another
//   operator bundle, e.g. a variant under test; node flags, e.g. --cpu-prof, from DIR/<name>.flags
//   when that exists) or DIR/*.cr (a restart of the controller-runtime peer), until DIR/STOP exists.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { Environment } from "../../src/envtest/index.js";
import { Deployment } from "../../src/runtime/kinds/index.js";
import { startObserver } from "./observer.js";
import { cpuTicks, seedConverged, type Workload } from "./seed.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { opt } from "./args.js";

const N = Number(opt("n", "1000"));
const REPS = Number(opt("reps", "1"));
const OPERATORS = opt("operators", "tsop").split(",").filter(Boolean);
const WORKLOAD = opt("workload", "example") as Workload;
const WATCH_S = Number(opt("watch", "40"));
const QUEUE = opt("queue", "");
const TSOP_BUNDLE = opt("tsop-bundle", "");
const GO_BINARY = opt("go-binary", "");
const NS = "default";
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The next command to restart: the listed operators REPS times (interleaved), then the queue. */
function* plan(): Generator<{ label: string; cmd: string[] }> {
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? OPERATORS : [...OPERATORS].reverse();
    for (const op of order) yield { label: op, cmd: op === "tsop" ? [process.execPath, TSOP_BUNDLE] : [GO_BINARY] };
  }
}

async function nextQueued(): Promise<{ label: string; cmd: string[] } | undefined> {
  if (!QUEUE) return undefined;
  mkdirSync(`${QUEUE}/run`, { recursive: true });
  for (;;) {
    if (existsSync(`${QUEUE}/STOP`)) return undefined;
    const f = readdirSync(QUEUE).filter((x) => x.endsWith(".mjs") || x.endsWith(".cr")).sort()[0];
    if (f) {
      const to = `${QUEUE}/run/${Date.now()}-${f}`;
      renameSync(`${QUEUE}/${f}`, to);
      if (f.endsWith(".cr")) return { label: f, cmd: [GO_BINARY] };
      const flagsFile = `${QUEUE}/${f.replace(/\.mjs$/, ".flags")}`;
      const flags = existsSync(flagsFile) ? readFileSync(flagsFile, "utf8").trim().split(/\s+/).filter(Boolean) : [];
      return { label: f, cmd: [process.execPath, ...flags, to] };
    }
    await sleep(1000);
  }
}

/** The process's peak resident set (VmHWM) in MiB, NaN once it is gone. */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? +(Number(m[1]) / 1024).toFixed(1) : NaN;
  } catch {
    return NaN;
  }
}

const env = new Environment({ crdDirectoryPaths: [resolve("examples/memcached-operator/config/crd/bases")] });
const started = await env.start();
try {
  const obs = await startObserver(started.kubeconfigPath);
  const mk = (name: string, size: number): Memcached => ({ apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: NS }, spec: { size } });
  const t0 = performance.now();
  await seedConverged(obs.client, WORKLOAD, N, NS);
  console.error(`# seeded ${N} converged Memcacheds in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const listed = plan();
  for (let k = 0; ; k++) {
    const step = listed.next().value ?? (await nextQueued());
    if (!step) break;
    const late = `late-${k}`;
    const spawnedAt = Date.now();
    const p = spawn(step.cmd[0] as string, [...step.cmd.slice(1), "--kubeconfig", started.kubeconfigPath, "--workload", WORKLOAD, "--workers", "4", "--log-level", "info"], { stdio: ["ignore", "pipe", "pipe"] });
    let firstMs = NaN;
    const marks: string[] = [];
    const lines = (onLine: (line: string) => void): ((c: Buffer) => void) => {
      let buf = "";
      return (c) => {
        buf += c.toString();
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      };
    };
    p.stdout.on("data", lines((line) => {
      if (line.includes('"first-reconcile"')) firstMs = (JSON.parse(line) as { t: number }).t - spawnedAt;
    }));
    p.stderr.on("data", lines((line) => {
      try {
        const e = JSON.parse(line) as { msg?: string; kind?: string; items?: number };
        if (e.msg === "listed") marks.push(`${Date.now() - spawnedAt} ms: listed ${e.items} ${e.kind}`);
      } catch { /* not a log line */ }
    }));
    await obs.client.create(Memcached, mk(late, 2));
    const isDone = (): boolean => {
      const mc = obs.peek(Memcached, late, NS);
      const d = obs.peek(Deployment, late, NS);
      const owned = !!mc && d?.metadata?.ownerReferences?.[0]?.uid === mc.metadata?.uid;
      return owned && (WORKLOAD === "example" ? mc?.status?.conditions?.length === 3 : mc?.status?.conditions?.some((c) => c.type === "Available" && c.status === "True") === true);
    };
    let newObjectMs = NaN;
    // Looked for every 10 ms (as compare.ts does), not at the 250 ms CPU samples: those would add
    // 0-250 ms to the time.
    const watching = (async () => {
      while (Number.isNaN(newObjectMs) && Date.now() - spawnedAt < WATCH_S * 1000) {
        if (isDone()) newObjectMs = Date.now() - spawnedAt;
        else await sleep(10);
      }
    })();
    const timeline: number[] = [];
    let last = cpuTicks(p.pid as number);
    let peakRssMiB = NaN;
    for (let t = 0; t < WATCH_S * 4; t++) {
      await sleep(250);
      const now = cpuTicks(p.pid as number);
      const hwm = peakRss(p.pid as number);
      if (!Number.isNaN(hwm)) peakRssMiB = hwm;
      timeline.push(now - last);
      last = now;
    }
    await watching;
    // Quiet: the first 2 s (8 samples) without a CPU tick.
    let quietMs = NaN;
    for (let i = 0; i + 8 <= timeline.length; i++) {
      if (timeline.slice(i, i + 8).every((x) => x === 0)) {
        quietMs = i * 250;
        break;
      }
    }
    p.kill("SIGTERM");
    await new Promise((r) => p.once("exit", r));
    console.log(JSON.stringify({ operator: step.label, n: N, firstMs, newObjectMs, afterFirstMs: newObjectMs - firstMs, quietMs, cpuS: last / 100, peakRssMiB, load: +(loadavg()[0] as number).toFixed(1), cpuTicksPer250ms: timeline.join(""), marks }));
  }
  await obs.close();
} finally {
  await env.stop();
}
