// Measures tsop/envtest with simulated nodes: Environment.start() to ready with N kwok nodes (etcd,
// kube-apiserver, kube-controller-manager with the workload controllers, kube-scheduler, kwok, nodes
// Ready), and a Deployment of R replicas from create to availableReplicas == R. Needs `npm run build`.
// Usage: node bench/envtest/nodes.mjs [--runs N] [--nodes 0,1,3,10] [--replicas 100]   (0: no nodes, the baseline)
import { request } from "node:https";
import { Environment, ensureBinaries } from "../../dist/envtest/index.js";

const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const runs = Number(arg("--runs", "3"));
const nodeCounts = arg("--nodes", "0,1,3,10").split(",").map(Number);
const replicas = Number(arg("--replicas", "100"));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

function kube(s, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request(`${s.server}${path}`, { method, ca: s.tls.ca, cert: s.tls.cert, key: s.tls.key, agent: false, headers: { "Content-Type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

await ensureBinaries({ withControllerManager: true, withScheduler: true, withKwok: true, onProgress: (l) => console.error(l) });
console.log(`runs per point: ${runs}; Deployment of ${replicas} replicas`);
for (const nodes of nodeCounts) {
  const start = [];
  const rollout = [];
  const stop = [];
  for (let i = 0; i < runs; i++) {
    const env = new Environment({ nodes });
    let t0 = process.hrtime.bigint();
    const s = await env.start();
    start.push(ms(t0));
    if (nodes === 0) { // the baseline: etcd + kube-apiserver alone
      await env.stop();
      continue;
    }
    const labels = { app: "bench" };
    const dep = { metadata: { name: "bench" }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "bench:1" }] } } } };
    t0 = process.hrtime.bigint();
    const created = await kube(s, "POST", "/apis/apps/v1/namespaces/default/deployments", dep);
    if (created.status !== 201) throw new Error(`create: HTTP ${created.status}`);
    for (;;) {
      const got = await kube(s, "GET", "/apis/apps/v1/namespaces/default/deployments/bench");
      if (got.body.status?.availableReplicas === replicas) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    rollout.push(ms(t0));
    t0 = process.hrtime.bigint();
    await env.stop();
    stop.push(ms(t0));
  }
  console.log(`nodes=${nodes}: start() to ready: ${fmt(start)}`);
  if (nodes === 0) continue;
  console.log(`nodes=${nodes}: Deployment ${replicas} replicas to available: ${fmt(rollout)}`);
  console.log(`nodes=${nodes}: stop(): ${fmt(stop)}`);
}
