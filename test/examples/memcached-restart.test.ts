// After a restart, the memcached example's reconcile of objects that already converged costs what
// controller-runtime's does: every object is reconciled once (the initial list), reading only the
// cache, and nothing is written. Counted by the real kube-apiserver (apiserver_request_total).
import { request } from "node:https";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { Manager, createLogger, type ReconcileContext, type Request } from "../../src/runtime/index.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { MemcachedReconciler } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";

const N = 20;
const CRDS = fileURLToPath(new URL("../../examples/memcached-operator/config/crd/bases", import.meta.url));
const env = new Environment({ crdDirectoryPaths: [CRDS] });
let started: StartedEnvironment;

beforeAll(async () => {
  started = await env.start();
});
afterAll(async () => {
  await env.stop();
});

/** A manager running the example's reconciler; `reconciled` counts finished reconciles. */
async function operator(): Promise<{ stop(): Promise<void>; reconciled(): number; mgr: Manager }> {
  const mgr = await Manager.create({
    kubeconfig: started.kubeconfigPath, metricsBindAddress: "0", healthProbeBindAddress: "0", leaderElection: false, rbacSelfCheck: false,
    logger: createLogger({ level: "warn" }),
  });
  const reconciler = new MemcachedReconciler();
  let done = 0;
  const inner = reconciler.reconcile.bind(reconciler);
  reconciler.reconcile = async (req: Request, ctx: ReconcileContext) => {
    try {
      return await inner(req, ctx);
    } finally {
      done++;
    }
  };
  reconciler.setupWithManager(mgr);
  const signal = new AbortController();
  const running = mgr.start(signal.signal);
  return { mgr, reconciled: () => done, stop: async () => { signal.abort(); await running; } };
}

/** apiserver_request_total of memcacheds and deployments, by verb (GET = single reads; LIST and WATCH apart). */
async function requests(): Promise<Record<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(`${started.server}/metrics`, { ca: started.tls.ca, cert: started.tls.cert, key: started.tls.key, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("apiserver_request_total{")) continue;
    const resource = /resource="([^"]*)"/.exec(line)?.[1];
    if (resource !== "memcacheds" && resource !== "deployments") continue;
    const sub = /subresource="([^"]*)"/.exec(line)?.[1];
    const key = `${/verb="([^"]*)"/.exec(line)?.[1]} ${resource}${sub ? `/${sub}` : ""}`;
    out[key] = (out[key] ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return out;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("memcached example after a restart", () => {
  it("reconciles every converged object once from the cache and writes nothing", async () => {
    const first = await operator();
    for (let i = 0; i < N; i++) await first.mgr.client.create(Memcached, { metadata: { name: `mc-${i}`, namespace: "default" }, spec: { size: (i % 3) + 1 } });
    const convergedAll = async (): Promise<boolean> => {
      const all = await first.mgr.client.list(Memcached, { namespace: "default" });
      return all.length === N && all.every((m) => m.status?.observedGeneration === m.metadata?.generation && m.status?.conditions?.length === 3);
    };
    await until("all Memcacheds converged", convergedAll);
    await first.stop();

    const before = await requests();
    const second = await operator();
    await until("every existing Memcached reconciled after the restart", () => second.reconciled() >= N);
    const after = await requests();
    await second.stop();

    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
    // The restart lists and watches both kinds (a streaming list is a WATCH) and does nothing else.
    expect(Object.keys(delta).filter((k) => !k.startsWith("WATCH ") && !k.startsWith("LIST "))).toEqual([]);
    expect(second.reconciled()).toBe(N);
  });
});
