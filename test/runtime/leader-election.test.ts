import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";
import { LeaderElector, type Lease } from "../../src/runtime/manager/leader-election.js";
import { PromMetrics } from "../../src/runtime/metrics/metrics.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { waitUntil } from "./ops-helpers.js";

const env = new Environment();
let rest: RestClient;
const timing = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 300 };
const LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases";

beforeAll(async () => {
  const started = await env.start();
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }));
});
afterAll(async () => {
  rest?.close();
  await env.stop();
});

const getLease = (name: string): Promise<Lease> => rest.request<Lease>({ method: "GET", path: `${LEASES}/${name}` });

describe("LeaderElector on a real Lease", () => {
  it("elects one leader, and a released Lease passes to the standby at its next retry", async () => {
    const metrics = new PromMetrics({ processMetrics: false });
    const a = new LeaderElector(rest, { name: "le-release", namespace: "default", identity: "a", metrics, ...timing });
    const b = new LeaderElector(rest, { name: "le-release", namespace: "default", identity: "b", ...timing });
    const stopA = new AbortController();
    const stopB = new AbortController();
    const heldA = await a.acquire(stopA.signal);
    expect(heldA).not.toBe(false);
    expect(a.isLeader()).toBe(true);
    expect(await metrics.text()).toContain('leader_election_master_status{name="le-release"} 1');
    const lease = await getLease("le-release");
    expect(lease.spec).toMatchObject({ holderIdentity: "a", leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(lease.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const bAcquire = b.acquire(stopB.signal);
    await new Promise((r) => setTimeout(r, 3 * timing.retryPeriodMs));
    expect(b.isLeader()).toBe(false);

    stopA.abort();
    if (heldA) await heldA.renewing;
    const releasedAt = Date.now();
    await a.release();
    expect(await metrics.text()).toContain('leader_election_master_status{name="le-release"} 0');
    const heldB = await bAcquire;
    const takeover = Date.now() - releasedAt;
    expect(heldB).not.toBe(false);
    expect(takeover).toBeLessThan(timing.leaseDurationMs);
    expect((await getLease("le-release")).spec).toMatchObject({ holderIdentity: "b", leaseTransitions: 1 });
    stopB.abort();
    await b.release();
  });

  it("a standby takes over an abandoned Lease only after the lease duration", async () => {
    const a = new LeaderElector(rest, { name: "le-crash", namespace: "default", identity: "a", ...timing });
    const b = new LeaderElector(rest, { name: "le-crash", namespace: "default", identity: "b", ...timing });
    const stopA = new AbortController();
    const stopB = new AbortController();
    const heldA = await a.acquire(stopA.signal);
    const bAcquire = b.acquire(stopB.signal);
    await new Promise((r) => setTimeout(r, 1_000));
    stopA.abort(); // a "crashes": stops renewing, never releases
    const crashedAt = Date.now();
    if (heldA) await heldA.renewing;
    expect(await bAcquire).not.toBe(false);
    const takeover = Date.now() - crashedAt;
    expect(takeover).toBeGreaterThanOrEqual(timing.leaseDurationMs - timing.retryPeriodMs);
    expect((await getLease("le-crash")).spec?.holderIdentity).toBe("b");
    stopB.abort();
    await b.release();
  });

  it("a leader whose Lease is taken away sees its signal abort", async () => {
    const a = new LeaderElector(rest, { name: "le-lost", namespace: "default", identity: "a", ...timing });
    const stopA = new AbortController();
    const held = await a.acquire(stopA.signal);
    if (!held) throw new Error("a did not acquire");
    const lease = await getLease("le-lost");
    await rest.request({ method: "PUT", path: `${LEASES}/le-lost`, body: { ...lease, spec: { ...lease.spec, holderIdentity: "intruder", leaseDurationSeconds: 60 } } });
    await waitUntil(() => held.lost.aborted, "the lost signal");
    expect(a.isLeader()).toBe(false);
    await held.renewing;
    stopA.abort();
    await a.release(); // must not clear the intruder's hold
    expect((await getLease("le-lost")).spec?.holderIdentity).toBe("intruder");
  });

  it("rejects timings that cannot work", () => {
    expect(() => new LeaderElector(rest, { name: "x", namespace: "default", leaseDurationMs: 1000, renewDeadlineMs: 1000 })).toThrow(/renewDeadline/);
  });
});
