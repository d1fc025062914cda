// Startup only: one control plane (with a sentinel Memcached), then --runs spawns of a bare
// `node -e` and of the operator bundle, alternating; per run spawn -> first output of node and
// spawn -> first reconcile of the operator, and the operator's phases (ms since its process start).
// Flags: --tsop-bundle PATH[,PATH...] (several: alternated, reported apart) --runs 7
//   --node-args --flag,--flag --env K=V,K=V --kubeconfig PATH (an existing cluster with the CRDs)
//   --keep (starts the control plane, prints its kubeconfig, waits for SIGINT)
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { Environment } from "../../src/envtest/index.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { startObserver } from "./observer.js";
import { has, opt } from "./args.js";

const RUNS = Number(opt("runs", "7"));
const BUNDLES = opt("tsop-bundle", "").split(",");
const NODE_ARGS = opt("node-args", "").split(",").filter(Boolean);
const ENV = Object.fromEntries(opt("env", "").split(",").filter(Boolean).map((kv) => kv.split("=") as [string, string]));

/** ms from spawn to the first stdout line matching `done` (or any output), and that line. */
async function timed(cmd: string[], env: NodeJS.ProcessEnv, done: (line: string) => boolean): Promise<{ ms: number; line: string }> {
  const t = Date.now();
  const p = spawn(cmd[0] as string, cmd.slice(1), { stdio: ["ignore", "pipe", "inherit"], env });
  let buf = "";
  const line = await new Promise<string>((res, rej) => {
    p.on("exit", (c) => rej(new Error(`exited ${c} before ready`)));
    p.stdout?.on("data", (c: Buffer) => {
      buf += c.toString();
      for (const l of buf.split("\n")) if (done(l)) res(l);
    });
  });
  const ms = Date.now() - t;
  p.kill("SIGTERM");
  await new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once("exit", () => r())));
  return { ms, line };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const given = opt("kubeconfig", "");
const env = given ? undefined : new Environment({ crdDirectoryPaths: [resolve("examples/memcached-operator/config/crd/bases")] });
const kubeconfig = env ? (await env.start()).kubeconfigPath : given;
try {
  if (env) {
    const obs = await startObserver(kubeconfig);
    await obs.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name: "startup", namespace: "default" }, spec: { size: 1 } });
    await obs.close();
  }
  if (has("keep")) {
    console.log(kubeconfig);
    const alive = setInterval(() => {}, 1 << 30);
    await new Promise((r) => process.once("SIGINT", r));
    clearInterval(alive);
  } else {
    const nodes: number[] = [];
    const per = BUNDLES.map(() => ({ ops: [] as number[], deltas: [] as number[], phases: {} as Record<string, number[]> }));
    for (let i = 0; i < RUNS; i++) {
      for (const [b, bundle] of BUNDLES.entries()) {
        const node = (await timed([process.execPath, "-e", "process.stdout.write('r\\n')"], process.env, () => true)).ms;
        nodes.push(node);
        const r = await timed([process.execPath, ...NODE_ARGS, bundle, "--kubeconfig", kubeconfig, "--log-level", "error"], { ...process.env, ...ENV }, (l) => l.includes("first-reconcile"));
        const s = per[b] as (typeof per)[number];
        s.ops.push(r.ms);
        s.deltas.push(r.ms - node);
        const ph = (JSON.parse(r.line) as { phases: Record<string, number> }).phases;
        for (const [k, v] of Object.entries(ph)) (s.phases[k] ??= []).push(v);
        console.error(`run ${i} ${bundle}: node ${node} ms, tsop ${r.ms} ms ${JSON.stringify(ph)}`);
      }
    }
    for (const [b, bundle] of BUNDLES.entries()) {
      const s = per[b] as (typeof per)[number];
      console.log(JSON.stringify({ bundle, node: median(nodes), tsop: median(s.ops), delta: median(s.deltas), phases: Object.fromEntries(Object.entries(s.phases).map(([k, v]) => [k, median(v)])) }));
    }
  }
} finally {
  await env?.stop();
}
