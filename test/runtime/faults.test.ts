// Fault tests on the real apiserver (issue 6 item 8). Each asserts that the final state equals the
// desired state for every object and that no key was reconciled twice at once. Measured numbers
// are printed and written to node_modules/.cache/tsop-test/operations.json (docs/benchmarks.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import type { Reconciler, Request } from "../../src/runtime/reconcile/types.js";
import { ConfigMap } from "../../src/runtime/kinds/kinds.js";
import { loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";
import { Manager } from "../../src/runtime/manager/manager.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { probe, recordingLogger, waitUntil } from "./ops-helpers.js";
import { bundleOperator, OperatorProcess, overlaps, removeBundle, type OperatorEvent } from "./operator-process.js";

const env = new Environment();
let started: StartedEnvironment;
let rest: RestClient;
const measured: Record<string, number> = {};

beforeAll(async () => {
  [started] = await Promise.all([env.start(), bundleOperator()]);
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }), { qps: 0 });
});
afterAll(async () => {
  rest?.close();
  await env.stop();
  removeBundle();
  console.log("operations measurements (ms):", JSON.stringify(measured));
  if (Object.keys(measured).length) {
    mkdirSync("node_modules/.cache/tsop-test", { recursive: true });
    writeFileSync("node_modules/.cache/tsop-test/operations.json", JSON.stringify(measured, null, 2));
  }
});

type CM = { metadata?: { name?: string }; data?: Record<string, string> };
const ns = async (name: string): Promise<void> => {
  await rest.request({ method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name } } });
};
const createMany = async (namespace: string, n: number, value = "v0"): Promise<void> => {
  for (let i = 0; i < n; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, n - i) }, (_, j) =>
      rest.request({ method: "POST", path: `/api/v1/namespaces/${namespace}/configmaps`, body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i + j}` }, data: { in: value } } })));
  }
};
const setAll = async (namespace: string, value: string): Promise<void> => {
  const list = await rest.request<{ items: CM[] }>({ method: "GET", path: `/api/v1/namespaces/${namespace}/configmaps` });
  const names = list.items.map((c) => c.metadata?.name as string).filter((n) => n.startsWith("cm-"));
  for (let i = 0; i < names.length; i += 20) {
    await Promise.all(names.slice(i, i + 20).map((name) =>
      rest.request({ method: "PATCH", path: `/api/v1/namespaces/${namespace}/configmaps/${name}`, body: { data: { in: value } }, contentType: "application/merge-patch+json" })));
  }
};
/** Objects not in their desired state (out == in + "!"). */
const unconverged = async (namespace: string): Promise<string[]> => {
  const list = await rest.request<{ items: CM[] }>({ method: "GET", path: `/api/v1/namespaces/${namespace}/configmaps` });
  return list.items.filter((c) => c.metadata?.name?.startsWith("cm-") && c.data?.out !== `${c.data?.in ?? ""}!`).map((c) => c.metadata?.name as string);
};
const converged = async (namespace: string): Promise<boolean> => (await unconverged(namespace)).length === 0;

/** The fixture's reconciler, in-process: records start/end like the child processes do. */
class InProcessReconciler implements Reconciler {
  readonly events: OperatorEvent[] = [];
  constructor(private readonly mgr: Manager) {}
  async reconcile(req: Request): Promise<void> {
    const key = `${req.namespace}/${req.name}`;
    this.events.push({ ev: "start", key, t: Date.now(), pid: 0 });
    try {
      const cm = await this.mgr.client.get(ConfigMap, req.name, { namespace: req.namespace }).catch(() => undefined);
      const want = `${cm?.data?.in ?? ""}!`;
      if (cm && cm.data?.out !== want) await this.mgr.client.patch(ConfigMap, req.name, { data: { out: want } }, { namespace: req.namespace });
    } finally {
      this.events.push({ ev: "end", key, t: Date.now(), pid: 0 });
    }
  }
}

const inProcess = async (namespace: string): Promise<{ mgr: Manager; r: InProcessReconciler; log: ReturnType<typeof recordingLogger>; stop: AbortController; running: Promise<void> }> => {
  const log = recordingLogger();
  const mgr = await Manager.create({ kubeconfig: started.kubeconfigPath, namespaces: [namespace], healthProbeBindAddress: "127.0.0.1:0", metricsBindAddress: "0", handleSignals: false, logger: log });
  const r = new InProcessReconciler(mgr);
  mgr.controller("fault").for(ConfigMap).withOptions({ maxConcurrentReconciles: 4 }).complete(r);
  const stop = new AbortController();
  return { mgr, r, log, stop, running: mgr.start(stop.signal) };
};

// Short timings keep the test quick; TSOP_FAULT_LEASE=15000,10000,2000 measures with the defaults.
const [leaseMs = "4000", renewMs = "3000", retryMs = "500"] = (process.env.TSOP_FAULT_LEASE ?? "").split(",").filter(Boolean);
const LEASE = { LEASE_MS: leaseMs, RENEW_MS: renewMs, RETRY_MS: retryMs };
const child = (namespace: string, extra: Record<string, string> = {}, args: string[] = []): OperatorProcess =>
  new OperatorProcess(["--health-probe-bind-address=0", "--metrics-bind-address=0", ...args], { KUBECONFIG: started.kubeconfigPath, WATCH_NAMESPACE: namespace, ...extra });

describe("fault tests", () => {
  it("apiserver stopped and restarted mid-run: readiness goes red then green, everything converges", async () => {
    await ns("f-restart");
    await createMany("f-restart", 100);
    const { mgr, r, stop, running } = await inProcess("f-restart");
    await waitUntil(() => converged("f-restart"), "initial convergence", 60_000);
    let t0 = Date.now();
    await setAll("f-restart", "v1");
    await waitUntil(() => converged("f-restart"), "baseline convergence", 60_000);
    measured.baselineConvergence100Ms = Date.now() - t0;
    const ready = `http://127.0.0.1:${mgr.probePort}/readyz`;
    expect((await probe(ready)).status).toBe(200);

    await env.stopApiServer();
    const down = Date.now();
    measured.readinessRedAfterOutageMs = await waitUntil(async () => (await probe(ready)).status === 500, "readiness to turn red", 60_000);
    await env.startApiServer();
    t0 = Date.now();
    measured.apiserverOutageMs = t0 - down;
    measured.readinessGreenAfterRestartMs = await waitUntil(async () => (await probe(ready)).status === 200, "readiness to turn green", 60_000);
    await setAll("f-restart", "v2");
    await waitUntil(() => converged("f-restart"), "convergence after restart", 60_000);
    measured.convergence100AfterRestartMs = Date.now() - t0;
    stop.abort();
    await running;
    expect(await unconverged("f-restart")).toEqual([]);
    expect(overlaps(r.events)).toEqual([]);
  });

  it("etcd compaction forces a 410: the cache relists and everything converges", async () => {
    await ns("f-compact");
    await ns("f-other");
    await createMany("f-compact", 20);
    const { r, log, stop, running } = await inProcess("f-compact");
    await waitUntil(() => converged("f-compact"), "initial convergence");
    await createMany("f-other", 30); // revisions the watch never sees
    await env.compactEtcd();
    await env.restartApiServer();
    const t0 = Date.now();
    await setAll("f-compact", "after-compaction");
    await waitUntil(() => converged("f-compact"), "convergence after compaction");
    measured.convergence20AfterCompactionMs = Date.now() - t0;
    expect(log.lines.some((l) => l.msg === "resourceVersion expired, relisting")).toBe(true);
    stop.abort();
    await running;
    expect(await unconverged("f-compact")).toEqual([]);
    expect(overlaps(r.events)).toEqual([]);
  });

  it("two managers with leader election: SIGKILL and SIGTERM of the leader hand over to the standby", { timeout: 240_000 }, async () => {
    await ns("f-leader");
    const retry = Number(LEASE.RETRY_MS);
    const a = child("f-leader", LEASE, ["--leader-elect"]);
    await waitUntil(() => a.logTime("successfully acquired lease") !== undefined, `a to lead (${a.tail()})`);
    const b = child("f-leader", LEASE, ["--leader-elect"]);
    await waitUntil(() => b.logTime("attempting to acquire leader lease") !== undefined, "b to campaign");
    await createMany("f-leader", 30);
    await waitUntil(() => converged("f-leader"), "convergence under a");
    expect(b.events.filter((e) => e.ev === "start")).toEqual([]);

    // SIGKILL: b takes over once the lease expires (lease duration + a retry period).
    await new Promise((r) => setTimeout(r, 1000));
    const killedAt = Date.now();
    a.kill("SIGKILL");
    await a.exited;
    await setAll("f-leader", "k");
    await waitUntil(() => b.logTime("successfully acquired lease") !== undefined, "b to take over", 60_000);
    measured.takeoverAfterSigkillMs = (b.logTime("successfully acquired lease") as number) - killedAt;
    // Semantic bounds, not speed thresholds (measured times go to docs/benchmarks.md): b waited for
    // the dead leader's lease to expire (its last renewal was at most a retry period before the
    // kill), and took over within the next lease period rather than by some later recovery.
    expect(measured.takeoverAfterSigkillMs).toBeGreaterThanOrEqual(Number(LEASE.LEASE_MS) - retry);
    expect(measured.takeoverAfterSigkillMs).toBeLessThan(2 * Number(LEASE.LEASE_MS));
    await waitUntil(() => converged("f-leader"), "convergence under b");

    // SIGTERM: b releases the lease, c takes over within a retry period.
    const c = child("f-leader", LEASE, ["--leader-elect"]);
    await waitUntil(() => c.logTime("attempting to acquire leader lease") !== undefined, "c to campaign");
    const termAt = Date.now();
    b.kill("SIGTERM");
    expect((await b.exited).code).toBe(0);
    await setAll("f-leader", "t");
    await waitUntil(() => c.logTime("successfully acquired lease") !== undefined, "c to take over", 30_000);
    const releasedAt = b.logTime("released leader lease") as number;
    expect(releasedAt).toBeGreaterThan(0);
    measured.takeoverAfterSigtermMs = (c.logTime("successfully acquired lease") as number) - termAt;
    measured.takeoverAfterReleaseMs = (c.logTime("successfully acquired lease") as number) - releasedAt;
    // The release mattered: c did not wait for the lease to expire.
    expect(measured.takeoverAfterReleaseMs).toBeLessThan(Number(LEASE.LEASE_MS));
    await waitUntil(() => converged("f-leader"), "convergence under c");
    c.kill("SIGTERM");
    expect((await c.exited).code).toBe(0);
    expect(await unconverged("f-leader")).toEqual([]);
    expect(overlaps([...a.events, ...b.events, ...c.events], { [a.pid]: killedAt })).toEqual([]);
  });

  it("a reconciler that throws on some objects: they back off and retry, the others are unaffected", async () => {
    await ns("f-fail");
    await createMany("f-fail", 20);
    const p = child("f-fail", { FAIL_NAMES: "cm-3,cm-7", FAIL_TIMES: "6", WORKERS: "2" });
    await waitUntil(() => converged("f-fail"), `convergence (${p.tail()})`, 60_000);
    p.kill("SIGTERM");
    expect((await p.exited).code).toBe(0);
    const starts = (key: string): number[] => p.events.filter((e) => e.ev === "start" && e.key === key).map((e) => e.t);
    for (const bad of ["f-fail/cm-3", "f-fail/cm-7"]) {
      const ts = starts(bad);
      expect(ts.length).toBeGreaterThanOrEqual(7);
      const gaps = ts.slice(1).map((t, i) => t - (ts[i] as number));
      // Exponential backoff: the i-th retry waits at least 5 ms * 2^i (the default limiter's floor;
      // 2 ms for timer rounding). A lower bound, so a loaded machine (longer gaps) cannot break it,
      // unlike comparing two noisy gaps.
      gaps.slice(0, 6).forEach((gap, i) => expect(gap, `retry ${i + 1} of ${bad}`).toBeGreaterThanOrEqual(5 * 2 ** i - 2));
    }
    const errors = p.logs.filter((l) => l.msg === "Reconciler error");
    expect(errors).toHaveLength(12);
    expect(new Set(errors.map((l) => l.name))).toEqual(new Set(["cm-3", "cm-7"]));
    for (let i = 0; i < 20; i++) {
      if (i === 3 || i === 7) continue;
      expect(starts(`f-fail/cm-${i}`).length).toBeGreaterThanOrEqual(1);
    }
    expect(await unconverged("f-fail")).toEqual([]);
    expect(overlaps(p.events)).toEqual([]);
  });

  it("SIGTERM during slow reconciles: they complete, the process exits 0", async () => {
    await ns("f-slow");
    await createMany("f-slow", 4);
    const p = child("f-slow", { SLOW_MS: "3000", WORKERS: "4" });
    await waitUntil(() => p.events.filter((e) => e.ev === "start").length === 4, "4 reconciles in flight");
    const termAt = Date.now();
    p.kill("SIGTERM");
    const exit = await p.exited;
    measured.sigtermDrainWithSlowReconcilesMs = Date.now() - termAt;
    expect(exit.code).toBe(0);
    expect(p.events.filter((e) => e.ev === "end")).toHaveLength(4);
    expect(p.events.at(-1)?.ev).toBe("exit");
    expect(await unconverged("f-slow")).toEqual([]);
    expect(overlaps(p.events)).toEqual([]);
  });

  it("a second SIGTERM exits at once, without waiting for slow reconciles", async () => {
    await ns("f-twice");
    await createMany("f-twice", 2);
    const p = child("f-twice", { SLOW_MS: "20000", WORKERS: "2" });
    await waitUntil(() => p.events.filter((e) => e.ev === "start").length === 2, "2 reconciles in flight");
    p.kill("SIGTERM");
    await waitUntil(() => p.logs.some((l) => l.msg.startsWith("stop signal received")), "the first signal to be handled");
    p.kill("SIGTERM");
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.events.filter((e) => e.ev === "end")).toHaveLength(0);
    expect(p.logs.some((l) => l.msg === "second stop signal received, exiting at once")).toBe(true);
  });

  it("reconciles slower than the graceful shutdown timeout are abandoned and the process still exits 0", async () => {
    await ns("f-grace");
    await createMany("f-grace", 1);
    const p = child("f-grace", { SLOW_MS: "30000" }, ["--graceful-shutdown-timeout=1s"]);
    await waitUntil(() => p.events.some((e) => e.ev === "start"), "a reconcile in flight");
    p.kill("SIGTERM");
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    expect(p.logs.some((l) => l.msg.startsWith("graceful shutdown timed out"))).toBe(true);
    expect(p.events.filter((e) => e.ev === "end")).toHaveLength(0);
    expect(p.events.at(-1)?.ev).toBe("exit");
  });
});
