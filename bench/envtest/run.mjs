// Measures tsop/envtest: warm `tsop envtest use`, Environment.start() to ready, stop, CRD install,
// and (with --cold-etcd) a build of etcd with an empty Go build cache. Needs `npm run build` first.
// Usage: node bench/envtest/run.mjs [--runs N] [--cold-etcd]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Environment, ensureBinaries } from "../../dist/envtest/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

const bins = await ensureBinaries({ onProgress: (l) => console.error(l) });
console.log(`binaries: ${bins.dir}`);
console.log(`kube-apiserver: ${execFileSync(bins.kubeApiserver, ["--version"], { encoding: "utf8" }).trim()}`);
console.log(`etcd: ${execFileSync(bins.etcd, ["--version"], { encoding: "utf8" }).split("\n")[0]}`);

const use = [];
for (let i = 0; i < runs + 2; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, "bin", "tsop.js"), "envtest", "use"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  if (i >= 2) use.push(ms(t0)); // the first two warm the page cache
}
console.log(`warm \`tsop envtest use\` (process start to exit): ${fmt(use)}`);

const start = [];
const stop = [];
const crd = [];
const crdObj = {
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "benches.bench.tsop.dev" },
  spec: { group: "bench.tsop.dev", scope: "Namespaced", names: { kind: "Bench", plural: "benches" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }] },
};
for (let i = 0; i < runs; i++) {
  const env = new Environment();
  let t0 = process.hrtime.bigint();
  await env.start();
  start.push(ms(t0));
  t0 = process.hrtime.bigint();
  await env.installCRDs([crdObj]);
  crd.push(ms(t0));
  t0 = process.hrtime.bigint();
  await env.stop();
  stop.push(ms(t0));
}
console.log(`Environment.start() to ready (etcd + kube-apiserver, certs, kubeconfig): ${fmt(start)}`);
console.log(`installCRDs(1 CRD) incl. Established, discovery and the 2 s young-CRD hold: ${fmt(crd)}`);
console.log(`Environment.stop(): ${fmt(stop)}`);

if (args.includes("--cold-etcd")) {
  const dir = mkdtempSync(join(tmpdir(), "tsop-bench-etcd-"));
  const t0 = process.hrtime.bigint();
  const saved = process.env.GOCACHE;
  process.env.GOCACHE = join(dir, "gocache");
  try {
    await ensureBinaries({ cacheDir: join(dir, "cache"), env: { ...process.env, KUBEBUILDER_ASSETS: "", TEST_ASSET_KUBE_APISERVER: bins.kubeApiserver } });
    console.log(`etcd build with an empty Go build cache (module cache warm): ${(ms(t0) / 1000).toFixed(1)} s`);
  } finally {
    if (saved === undefined) delete process.env.GOCACHE; else process.env.GOCACHE = saved;
    spawnSync("chmod", ["-R", "u+w", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}
