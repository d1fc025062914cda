import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import type { Reconciler, Request } from "../../src/runtime/reconcile/types.js";
import type { Runnable } from "../../src/runtime/controller/types.js";
import { ConfigMap, Lease } from "../../src/runtime/kinds/kinds.js";
import { loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";
import { LeaderElectionLostError, Manager } from "../../src/runtime/manager/manager.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { probe, recordingLogger, waitUntil } from "./ops-helpers.js";

const env = new Environment();
let started: StartedEnvironment;
let rest: RestClient;

beforeAll(async () => {
  started = await env.start();
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }));
  for (const ns of ["mgr-a", "mgr-b", "mgr-c"]) {
    await rest.request({ method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } } });
  }
});
afterAll(async () => {
  rest?.close();
  await env.stop();
});

const createCM = (ns: string, name: string): Promise<unknown> =>
  rest.request({ method: "POST", path: `/api/v1/namespaces/${ns}/configmaps`, body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { test: "mgr" } }, data: {} } });
const getCM = (ns: string, name: string): Promise<{ data?: Record<string, string> }> =>
  rest.request({ method: "GET", path: `/api/v1/namespaces/${ns}/configmaps/${name}` });

/** Marks each ConfigMap `seen=<manager>`; records what it reconciled. */
class MarkReconciler implements Reconciler {
  readonly seen: Request[] = [];
  constructor(private readonly mgr: Manager, private readonly mark: string) {}
  async reconcile(req: Request): Promise<void> {
    this.seen.push(req);
    const cm = await this.mgr.client.get(ConfigMap, req.name, { namespace: req.namespace });
    if (cm.data?.seen === this.mark) return;
    await this.mgr.client.patch(ConfigMap, req.name, { data: { seen: this.mark } }, { namespace: req.namespace });
  }
}

/** A kubeconfig for a new ServiceAccount in mgr-c with no RBAC at all (a token kubeconfig). */
async function weakKubeconfig(name: string): Promise<string> {
  await rest.request({ method: "POST", path: "/api/v1/namespaces/mgr-c/serviceaccounts", body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name } } });
  const tr = await rest.request<{ status: { token: string } }>({ method: "POST", path: `/api/v1/namespaces/mgr-c/serviceaccounts/${name}/token`, body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } } });
  const ca = Buffer.from(started.tls.ca).toString("base64");
  const path = join(mkdtempSync(join(tmpdir(), "tsop-rbac-")), "kubeconfig");
  writeFileSync(path, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${started.server}", certificate-authority-data: ${ca}}\nusers:\n- name: u\n  user: {token: "${tr.status.token}"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: mgr-c}\ncurrent-context: x\n`);
  return path;
}

const base = { kubeconfig: "", healthProbeBindAddress: "127.0.0.1:0", metricsBindAddress: "127.0.0.1:0", handleSignals: false } as const;

describe("Manager", () => {
  it("runs controllers, serves probes and metrics, and stops on its signal", async () => {
    const log = recordingLogger();
    const mgr = await Manager.create({ ...base, kubeconfig: started.kubeconfigPath, namespaces: ["mgr-a"], logger: log });
    const r = new MarkReconciler(mgr, "one");
    mgr.controller("marker").for(ConfigMap).complete(r);
    for (let i = 0; i < 5; i++) await createCM("mgr-a", `cm-${i}`);
    await createCM("mgr-b", "outside"); // not in the watched namespaces
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    await waitUntil(async () => (await Promise.all([0, 1, 2, 3, 4].map((i) => getCM("mgr-a", `cm-${i}`)))).every((c) => c.data?.seen === "one"), "all ConfigMaps marked").catch((e: unknown) => { console.log(JSON.stringify(log.lines.slice(0, 40), null, 0)); throw e; });
    const ready = await probe(`http://127.0.0.1:${mgr.probePort}/readyz`);
    expect(ready).toEqual({ status: 200, body: "ok" });
    expect((await probe(`http://127.0.0.1:${mgr.probePort}/healthz`)).status).toBe(200);
    const metrics = await probe(`http://127.0.0.1:${mgr.metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/controller_runtime_reconcile_total\{controller="marker",result="success"\} [1-9]/);
    expect(metrics.body).toMatch(/rest_client_requests_total\{code="200",method="PATCH",host="127\.0\.0\.1:\d+"\} [1-9]/);
    expect(metrics.body).toContain("process_resident_memory_bytes");
    expect((await getCM("mgr-b", "outside")).data?.seen).toBeUndefined();
    expect(r.seen.every((q) => q.namespace === "mgr-a")).toBe(true);
    stop.abort();
    await running;
    expect((await probe(`http://127.0.0.1:${mgr.probePort}/healthz`)).status).toBe(0);
    expect(log.lines.some((l) => l.msg === "manager stopped")).toBe(true);
  });

  it("takes its namespaces from WATCH_NAMESPACE", async () => {
    process.env.WATCH_NAMESPACE = "mgr-c";
    try {
      const mgr = await Manager.create({ ...base, kubeconfig: started.kubeconfigPath, logger: recordingLogger() });
      expect(mgr.options.namespaces).toEqual(["mgr-c"]);
    } finally {
      delete process.env.WATCH_NAMESPACE;
    }
  });

  it("runs controllers only while holding the Lease and releases it on stop", async () => {
    const opts = { ...base, kubeconfig: started.kubeconfigPath, namespaces: ["mgr-c"], leaderElection: true, leaderElectionID: "abcd1234.example.com", leaderElectionNamespace: "default", leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };
    const a = await Manager.create({ ...opts, logger: recordingLogger() });
    const b = await Manager.create({ ...opts, logger: recordingLogger() });
    const ra = new MarkReconciler(a, "a");
    const rb = new MarkReconciler(b, "b");
    a.controller("marker").for(ConfigMap).complete(ra);
    b.controller("marker").for(ConfigMap).complete(rb);
    await createCM("mgr-c", "le-1");
    const stopA = new AbortController();
    const stopB = new AbortController();
    const runA = a.start(stopA.signal);
    await waitUntil(async () => (await getCM("mgr-c", "le-1")).data?.seen === "a", "a reconciles as leader");
    const runB = b.start(stopB.signal);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rb.seen).toHaveLength(0);
    expect(a.elector?.isLeader()).toBe(true);
    expect(b.elector?.isLeader()).toBe(false);
    expect((await probe(`http://127.0.0.1:${a.metricsPort}/metrics`)).body).toContain('leader_election_master_status{name="abcd1234.example.com"} 1');
    expect((await probe(`http://127.0.0.1:${b.metricsPort}/metrics`)).body).toContain('leader_election_master_status{name="abcd1234.example.com"} 0');
    stopA.abort();
    await runA;
    const lease = await rest.request<{ spec?: { holderIdentity?: string | null } }>({ method: "GET", path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/abcd1234.example.com` });
    expect([null, undefined, b.elector?.identity]).toContain(lease.spec?.holderIdentity);
    await createCM("mgr-c", "le-2");
    await waitUntil(async () => (await getCM("mgr-c", "le-2")).data?.seen === "b", "b takes over after a's release");
    stopB.abort();
    await runB;
    void Lease;
  });

  it("stops controllers at once when the Lease is lost; exit mode rejects start(), reelect mode campaigns again", async () => {
    const LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
    const steal = async (name: string, seconds: number): Promise<void> => {
      const lease = await rest.request<{ spec?: object }>({ method: "GET", path: `${LEASES}/${name}` });
      await rest.request({ method: "PUT", path: `${LEASES}/${name}`, body: { ...lease, spec: { ...lease.spec, holderIdentity: "intruder", leaseDurationSeconds: seconds, renewTime: new Date().toISOString().replace("Z", "000Z") } } });
    };
    const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };
    for (const mode of ["exit", "reelect"] as const) {
      const id = `lost-${mode}.example.com`;
      const mgr = await Manager.create({ ...base, kubeconfig: started.kubeconfigPath, namespaces: ["mgr-c"], leaderElection: true, leaderElectionID: id, leaderElectionNamespace: "default", onLeaderLost: mode, ...timing, logger: recordingLogger() });
      let running = 0;
      let stopped = 0;
      mgr.add({ needsLeaderElection: true, start: async (signal) => { running++; await new Promise((r) => signal.addEventListener("abort", r, { once: true })); stopped++; } });
      const stop = new AbortController();
      const run = mgr.start(stop.signal);
      const outcome = run.then(() => "resolved", (e: unknown) => e);
      await waitUntil(() => running === 1, "the leader-only runnable to start");
      await steal(id, 2);
      await waitUntil(() => stopped === 1, "the runnable to stop after the Lease was lost");
      expect(mgr.elector?.isLeader()).toBe(false);
      if (mode === "exit") {
        expect(await outcome).toBeInstanceOf(LeaderElectionLostError);
      } else {
        await waitUntil(() => running === 2, "re-election after the intruder's Lease expired");
        expect(mgr.elector?.isLeader()).toBe(true);
        stop.abort();
        expect(await outcome).toBe("resolved");
      }
    }
  });

  it("gives stopping runnables gracefulShutdownTimeoutMs, then aborts reconcileSignal and returns", async () => {
    const mgr = await Manager.create({ ...base, kubeconfig: started.kubeconfigPath, namespaces: ["mgr-c"], gracefulShutdownTimeoutMs: 300, logger: recordingLogger() });
    let finished = false;
    mgr.add({ needsLeaderElection: false, start: () => new Promise<void>((resolve) => { mgr.reconcileSignal.addEventListener("abort", () => { finished = true; resolve(); }); }) });
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    await waitUntil(() => mgr.probePort > 0, "the manager to start");
    expect(mgr.reconcileSignal.aborted).toBe(false);
    stop.abort();
    await running;
    expect(mgr.reconcileSignal.aborted).toBe(true);
    expect(finished).toBe(true);
  });

  it("refuses leader election without an id", async () => {
    await expect(Manager.create({ ...base, kubeconfig: started.kubeconfigPath, leaderElection: true })).rejects.toThrow("leader election is on but no leaderElectionID is set");
  });

  it("serves metrics over HTTPS behind TokenReview + SubjectAccessReview (401, 403, 200), HTTP/1.1 only", async () => {
    const mgr = await Manager.create({ ...base, kubeconfig: started.kubeconfigPath, metricsSecure: true, namespaces: ["mgr-c"], logger: recordingLogger() });
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    await waitUntil(() => mgr.metricsPort > 0, "the metrics server");
    const get = (token?: string): Promise<{ status: number; body: string; alpn: string | false | null }> => new Promise((resolve, reject) => {
      const opts: RequestOptions & { ALPNProtocols: string[] } = { host: "127.0.0.1", port: mgr.metricsPort, path: "/metrics", rejectUnauthorized: false, agent: false, ALPNProtocols: ["h2", "http/1.1"], headers: token ? { authorization: `Bearer ${token}` } : {} };
      const req = httpsRequest(opts, (res) => {
        const alpn = (res.socket as TLSSocket).alpnProtocol;
        let body = "";
        res.on("data", (c: Buffer) => { body += c.toString(); });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, alpn }));
      });
      req.on("error", reject);
      req.end();
    });
    try {
      await rest.request({ method: "POST", path: "/api/v1/namespaces/mgr-c/serviceaccounts", body: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "scraper" } } });
      const tr = await rest.request<{ status: { token: string } }>({ method: "POST", path: "/api/v1/namespaces/mgr-c/serviceaccounts/scraper/token", body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } } });
      const anonymous = await get();
      expect(anonymous.status).toBe(401);
      expect(anonymous.alpn).toBe("http/1.1");
      expect((await get("not-a-token")).status).toBe(401);
      const forbidden = await get(tr.status.token);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toContain("system:serviceaccount:mgr-c:scraper");
      await rest.request({ method: "POST", path: "/apis/rbac.authorization.k8s.io/v1/clusterroles", body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "metrics-reader" }, rules: [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }] } });
      await rest.request({ method: "POST", path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "scraper-metrics-reader" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "metrics-reader" }, subjects: [{ kind: "ServiceAccount", name: "scraper", namespace: "mgr-c" }] } });
      await waitUntil(async () => (await get(tr.status.token)).status === 200, "the scraper to be allowed");
      expect((await get(tr.status.token)).body).toContain("# TYPE controller_runtime_reconcile_total counter");
    } finally {
      stop.abort();
      await running;
    }
  });

  it("sends the RBAC self-check's reviews only once the caches synced, not beside their first lists", async () => {
    const mgr = await Manager.create({ ...base, kubeconfig: started.kubeconfigPath, namespaces: ["mgr-a"], healthProbeBindAddress: "0", metricsBindAddress: "0", logger: recordingLogger() });
    mgr.controller("rbac-order").for(ConfigMap).complete({ reconcile: async () => {} });
    const syncedAtReview: boolean[] = [];
    const onRequest = (msg: unknown): void => {
      const path = (msg as { request: { path: string } }).request.path;
      if (path.includes("selfsubjectaccessreviews")) syncedAtReview.push(mgr.cache.informerFor(ConfigMap).hasSynced());
    };
    subscribe("http.client.request.start", onRequest);
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    try {
      await waitUntil(() => syncedAtReview.length > 0, "a SelfSubjectAccessReview");
    } finally {
      stop.abort();
      await running;
      unsubscribe("http.client.request.start", onRequest);
    }
    expect(syncedAtReview.every(Boolean)).toBe(true);
  });

  it("runs the RBAC self-check when a forbidden list keeps the caches from syncing", async () => {
    const path = await weakKubeconfig("weak-list");
    const log = recordingLogger();
    const mgr = await Manager.create({ ...base, kubeconfig: path, namespaces: ["mgr-c"], healthProbeBindAddress: "0", metricsBindAddress: "0", logger: log });
    mgr.controller("forbidden").for(ConfigMap).complete({ reconcile: async () => {} });
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    try {
      await waitUntil(() => log.lines.some((l) => l.msg.includes("lacks")), "the RBAC self-check message").catch((e: unknown) => {
        console.log(JSON.stringify(log.lines.slice(0, 40)));
        throw e;
      });
    } finally {
      stop.abort();
      await running;
    }
    expect(mgr.cache.informerFor(ConfigMap).hasSynced()).toBe(false);
    expect(log.lines.find((l) => l.msg.includes("lacks"))?.msg).toContain("list configmaps in namespace mgr-c");
  });

  it("names every missing permission at startup (RBAC self-check)", async () => {
    const path = await weakKubeconfig("weak");
    const log = recordingLogger();
    const mgr = await Manager.create({ ...base, kubeconfig: path, namespaces: ["mgr-c"], leaderElection: true, leaderElectionID: "weak.example.com", logger: log });
    const probeRunnable: Runnable = { needsLeaderElection: true, watchedKinds: [ConfigMap], ownedKinds: [ConfigMap], start: async () => {} };
    mgr.add(probeRunnable);
    const stop = new AbortController();
    const running = mgr.start(stop.signal);
    await waitUntil(() => log.lines.some((l) => l.msg.includes("lacks")), "the RBAC self-check message");
    stop.abort();
    await running;
    const msg = log.lines.find((l) => l.msg.includes("lacks"))?.msg ?? "";
    expect(log.lines.filter((l) => l.msg.includes("lacks"))).toHaveLength(1);
    for (const need of ["list configmaps in namespace mgr-c", "watch configmaps in namespace mgr-c", "create configmaps in namespace mgr-c", "delete configmaps in namespace mgr-c", "update leases.coordination.k8s.io in namespace mgr-c", "create events in namespace mgr-c"]) {
      expect(msg).toContain(need);
    }
    expect(msg).toContain("tsop manifests");
  });
});
