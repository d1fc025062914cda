/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// The whole operator end to end: the EtcdCluster and EtcdBackup reconcilers in a manager against a
// real kube-apiserver with simulated nodes (tsop/envtest: kube-scheduler, the workload controllers,
// kwok), with every member pod run as a REAL etcd process on loopback (test/support/pod-runner.ts
// plays the container runtime kwok does not have; LoopbackResolver maps members to those processes).
// Scale 1 → 3 → 5 → 3, upgrade, a crashed member, backup, version refusals, even size.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "tsop/envtest";
import { createLogger, findStatusCondition, Manager } from "tsop/runtime";
import { EventKind } from "tsop/runtime/events";
import { Job, Pod, Service } from "tsop/runtime/kinds";
import { isControlledBy } from "tsop/runtime/owner";
import { EtcdCluster } from "../src/api/etcd/v1alpha1/etcdcluster.js";
import { EtcdClusterReconciler } from "../src/controllers/etcdcluster.controller.js";
import { EtcdBackupReconciler } from "../src/controllers/etcdbackup.controller.js";
import { PodDisruptionBudget } from "../src/cluster/resources.js";
import { EtcdBackup } from "../src/api/etcd/v1alpha1/etcdbackup.js";
import { EtcdClient, verifySnapshot } from "../src/etcd/client.js";
import { LoopbackResolver } from "./support/loopback-resolver.js";
import { PodRunner } from "./support/pod-runner.js";
import { until } from "./support/until.js";

const NS = "default";
// Simulated nodes (kwok) with kube-scheduler and the workload controllers: pods are scheduled and
// move through their phases as in a cluster; kwok runs no containers, the PodRunner does that part.
const env = new Environment({ crdDirectoryPaths: [fileURLToPath(new URL("../config/crd/bases", import.meta.url))], nodes: 3 });
const stop = new AbortController();
const volumes = mkdtempSync(join(tmpdir(), "etcd-op-volumes-"));
let mgr: Manager;
let running: Promise<void>;
let runner: PodRunner;
let resolver: LoopbackResolver;
let clusters: EtcdClusterReconciler;


const get = (name: string) => mgr.client.direct.get(EtcdCluster, name, { namespace: NS });
const memberClient = (cluster: string, member: string) => new EtcdClient(resolver.clientURL({ namespace: NS, cluster, name: member }), { timeoutMs: 1000 });

/** Waits until the cluster reports `size` healthy voting members running `version`, all in etcd's own list. */
async function converged(name: string, size: number, version: string): Promise<EtcdCluster> {
  const c = await until(`${name}: ${size} healthy members at ${version}`, async () => {
    const o = await get(name);
    const s = o.status;
    const ok = s?.observedGeneration === o.metadata?.generation && s?.members?.length === size && s.members.every((m) => m.healthy && !m.learner && m.version === version) &&
      s.currentVersion === version && findStatusCondition(s.conditions, "Progressing")?.status === "False";
    return ok ? o : undefined;
  });
  const list = await memberClient(name, c.status?.members?.[0]?.name ?? "").memberList();
  expect(list.map((m) => m.name).sort()).toEqual(c.status?.members?.map((m) => m.name));
  expect(list.every((m) => !m.isLearner)).toBe(true);
  return c;
}

/** What {@link sampled} saw: the most learners / unstarted members at once, and when each member answered /health. */
interface Samples {
  learners: number;
  unstarted: number;
  healthy: { at: number; names: Set<string> }[];
}

/** Samples etcd's member list and each member's health every 100 ms while `fn` runs. */
async function sampled(cluster: string, fn: () => Promise<void>): Promise<Samples> {
  const seen: Samples = { learners: 0, unstarted: 0, healthy: [] };
  let done = false;
  const loop = (async () => {
    while (!done) {
      const at = Date.now(); // before asking: a member counted healthy answered after this instant
      const o = await get(cluster).catch(() => undefined);
      const names = o?.status?.members?.map((m) => m.name) ?? [];
      const up = await Promise.all(names.map((n) => memberClient(cluster, n).healthy()));
      seen.healthy.push({ at, names: new Set(names.filter((_, i) => up[i])) });
      const any = names.find((_, i) => up[i]);
      const list = any ? await memberClient(cluster, any).memberList().catch(() => undefined) : undefined;
      if (list) {
        seen.learners = Math.max(seen.learners, list.filter((m) => m.isLearner).length);
        seen.unstarted = Math.max(seen.unstarted, list.filter((m) => !m.name).length);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await fn();
  } finally {
    done = true;
    await loop;
  }
  return seen;
}

beforeAll(async () => {
  const started = await env.start();
  resolver = await LoopbackResolver.create(64);
  mgr = await Manager.create({ kubeconfig: started.kubeconfigPath, metricsBindAddress: "0", healthProbeBindAddress: "0", leaderElection: false, logger: createLogger({ level: (process.env["TSOP_TEST_LOG"] ?? "warn") as "warn" }) });
  clusters = new EtcdClusterReconciler({ resolver, stepIntervalMs: 250, healthCheckIntervalMs: 2000 });
  clusters.setupWithManager(mgr);
  new EtcdBackupReconciler({ resolver, retryIntervalMs: 500 }).setupWithManager(mgr);
  running = mgr.start(stop.signal);
  runner = new PodRunner(mgr.client, { namespace: NS, volumeRoot: volumes, reportStatus: false });
  runner.start();
});

afterAll(async () => {
  await runner?.close();
  stop.abort();
  await running?.catch(() => undefined);
  await env.stop();
  rmSync(volumes, { recursive: true, force: true });
});

describe("etcd operator end to end (real etcd members)", () => {
  it("bootstraps a seed member: pod, headless peer and client Services, PDB, all controlled by the cluster", async () => {
    await mgr.client.create(EtcdCluster, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdCluster", metadata: { name: "demo", namespace: NS }, spec: { size: 1, version: "3.7.0" } });
    const c = await converged("demo", 1, "3.7.0");
    expect(c.status?.phase).toBe("Running");
    expect(findStatusCondition(c.status?.conditions, "Available")?.status).toBe("True");
    expect(c.status?.members?.[0]?.leader).toBe(true);
    const pods = await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: "etcd.example.com/cluster=demo" });
    expect(pods).toHaveLength(1);
    expect(isControlledBy(pods[0] ?? {}, c)).toBe(true);
    expect(pods[0]?.spec?.containers[0]?.command).toContain("--initial-cluster-state=new");
    expect(pods[0]?.spec?.containers[0]?.image).toBe("gcr.io/etcd-development/etcd:v3.7.0");
    // kube-scheduler bound it to a simulated node and kwok reports it Running and Ready.
    expect(pods[0]?.spec?.nodeName).toMatch(/./);
    expect(pods[0]?.status?.phase).toBe("Running");
    expect(pods[0]?.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    const peer = await mgr.client.direct.get(Service, "demo", { namespace: NS });
    expect(peer.spec?.clusterIP).toBe("None");
    expect(peer.spec?.publishNotReadyAddresses).toBe(true);
    const client = await mgr.client.direct.get(Service, "demo-client", { namespace: NS });
    expect(client.spec?.ports?.[0]?.port).toBe(2379);
    const pdb = await mgr.client.direct.get(PodDisruptionBudget, "demo", { namespace: NS });
    expect(pdb.spec?.minAvailable).toBe(1);
    for (const o of [peer, client, pdb]) expect(isControlledBy(o, c)).toBe(true);
    await memberClient("demo", c.status?.members?.[0]?.name ?? "").put("k", "v1");
  });

  it("scales 1 → 3 → 5 adding one member at a time (learner, then pod, then promote)", async () => {
    const worst = await sampled("demo", async () => {
      await mgr.client.patch(EtcdCluster, "demo", { spec: { size: 3 } }, { namespace: NS });
      await converged("demo", 3, "3.7.0");
      await mgr.client.patch(EtcdCluster, "demo", { spec: { size: 5 } }, { namespace: NS });
      await converged("demo", 5, "3.7.0");
    });
    expect(worst.learners).toBeLessThanOrEqual(1);
    expect(worst.unstarted).toBeLessThanOrEqual(1);
    const pdb = await mgr.client.direct.get(PodDisruptionBudget, "demo", { namespace: NS });
    expect(pdb.spec?.minAvailable).toBe(3);
    const joined = (await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: "etcd.example.com/cluster=demo" })).filter((p) => p.spec?.containers[0]?.command?.includes("--initial-cluster-state=existing"));
    expect(joined).toHaveLength(4);
    const c = await get("demo");
    for (const m of c.status?.members ?? []) expect(await memberClient("demo", m.name).get("k")).toBe("v1");
    // Each step is an Event on the cluster (kubectl describe etcd demo).
    await clusters.flushEvents();
    const reasons = (await mgr.client.direct.list(EventKind, { namespace: NS, fieldSelector: "involvedObject.name=demo" })).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["SeedMemberCreated", "MemberAdded", "MemberPromoted"]));
  });

  it("scales 5 → 3 removing one member at a time (member removed, then its pod deleted)", async () => {
    const before = (await get("demo")).status?.members?.map((m) => m.name) ?? [];
    await mgr.client.patch(EtcdCluster, "demo", { spec: { size: 3 } }, { namespace: NS });
    const c = await converged("demo", 3, "3.7.0");
    const after = c.status?.members?.map((m) => m.name) ?? [];
    const removed = before.filter((n) => !after.includes(n));
    expect(removed).toHaveLength(2);
    await until("removed pods gone", async () => (await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: "etcd.example.com/cluster=demo" })).length === 3);
    // Their etcd processes stop once the runner (the "kubelet") sees the pods gone.
    await until("removed members' processes stopped", async () => removed.every((n) => runner.process(n) === undefined));
    const stops = runner.events.filter((e) => e.what === "stopped" && removed.includes(e.pod));
    expect(stops).toHaveLength(2);
  });

  it("rolls a version upgrade member by member, followers first, each back healthy before the next", async () => {
    const leaderBefore = (await get("demo")).status?.members?.find((m) => m.leader)?.name;
    const from = runner.events.length;
    const worst = await sampled("demo", async () => {
      await mgr.client.patch(EtcdCluster, "demo", { spec: { version: "3.7.1" } }, { namespace: NS });
      await converged("demo", 3, "3.7.1");
    });
    const restarts = runner.events.slice(from).filter((e) => e.what === "restarted");
    expect(restarts.map((e) => e.detail)).toEqual(Array(3).fill("gcr.io/etcd-development/etcd:v3.7.1"));
    expect(new Set(restarts.map((e) => e.pod)).size).toBe(3);
    expect(restarts[2]?.pod).toBe(leaderBefore);
    // Each member answered /health again after its restart before the next member was restarted.
    // (During the leader's restart every member may briefly fail /health: no leader until the election.)
    for (let i = 1; i < restarts.length; i++) {
      const prev = restarts[i - 1] as (typeof restarts)[number];
      const next = restarts[i] as (typeof restarts)[number];
      expect(worst.healthy.some((h) => h.at > prev.at && h.at < next.at && h.names.has(prev.pod))).toBe(true);
    }
    const c = await get("demo");
    expect(c.status?.targetVersion).toBe("3.7.1");
    for (const m of c.status?.members ?? []) expect(await memberClient("demo", m.name).get("k")).toBe("v1");
  });

  it("refuses a downgrade in the VersionAccepted condition and keeps running", async () => {
    await mgr.client.patch(EtcdCluster, "demo", { spec: { version: "3.6.8" } }, { namespace: NS });
    const c = await until("downgrade refused", async () => {
      const o = await get("demo");
      const cond = findStatusCondition(o.status?.conditions, "VersionAccepted");
      return o.status?.observedGeneration === o.metadata?.generation && cond?.status === "False" ? o : undefined;
    });
    expect(findStatusCondition(c.status?.conditions, "VersionAccepted")?.reason).toBe("DowngradeNotSupported");
    expect(c.status?.currentVersion).toBe("3.7.1");
    expect(findStatusCondition(c.status?.conditions, "Available")?.status).toBe("True");
    const pods = await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: "etcd.example.com/cluster=demo" });
    expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual(Array(3).fill("gcr.io/etcd-development/etcd:v3.7.1"));
    await mgr.client.patch(EtcdCluster, "demo", { spec: { version: "3.7.1" } }, { namespace: NS });
  });

  it("replaces a crashed member: its pod fails, the member is removed, a new one joins", async () => {
    const before = await converged("demo", 3, "3.7.1");
    const victim = before.status?.members?.find((m) => !m.leader)?.name ?? "";
    await runner.process(victim)?.stop("SIGKILL");
    const c = await until("replacement", async () => {
      const o = await get("demo");
      const names = o.status?.members?.map((m) => m.name) ?? [];
      return names.length === 3 && !names.includes(victim) && o.status?.members?.every((m) => m.healthy) ? o : undefined;
    });
    await converged("demo", 3, "3.7.1");
    expect(runner.events.some((e) => e.pod === victim && e.what === "crashed")).toBe(true);
    await until("failed pod deleted", async () => !(await mgr.client.direct.list(Pod, { namespace: NS })).some((p) => p.metadata?.name === victim));
    for (const m of c.status?.members ?? []) expect(await memberClient("demo", m.name).get("k")).toBe("v1");
  });

  it("backs up: a Job runs etcdctl snapshot save from a healthy member; revision, version and outcome in the status", async () => {
    await mgr.client.create(EtcdBackup, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdBackup", metadata: { name: "snap", namespace: NS }, spec: { clusterName: "demo", storage: { name: "backup", hostPath: { path: "/var/backups/etcd" } } } });
    const b = await until("backup succeeded", async () => {
      const o = await mgr.client.direct.get(EtcdBackup, "snap", { namespace: NS });
      return o.status?.phase === "Succeeded" ? o : undefined;
    });
    expect(b.status?.jobName).toBe("snap-snapshot");
    expect(b.status?.snapshotPath).toBe("/backup/snap.db");
    expect(b.status?.etcdRevision).toBeGreaterThan(0);
    expect(b.status?.etcdVersion).toMatch(/^3\.7\.\d+$/); // what the member reports: the one binary the test runs
    expect(findStatusCondition(b.status?.conditions, "Complete")?.status).toBe("True");
    const job = await mgr.client.direct.get(Job, "snap-snapshot", { namespace: NS });
    expect(isControlledBy(job, b)).toBe(true);
    const cmd = job.spec?.template.spec?.containers[0]?.command ?? [];
    expect(cmd.slice(0, 1).concat(cmd.slice(2))).toEqual(["/usr/local/bin/etcdctl", "snapshot", "save", "/backup/snap.db"]);
    expect(cmd[1]).toBe(`--endpoints=${resolver.clientURL({ namespace: NS, cluster: "demo", name: b.status?.member ?? "" })}`);
    // The runner ran that command against the real member: the file is a snapshot whose hash checks out.
    const file = join(volumes, "var/backups/etcd/snap.db");
    await until("snapshot file", async () => existsSync(file) && runner.events.some((e) => e.what === "snapshot" && e.detail === file));
    expect(verifySnapshot(readFileSync(file)).ok).toBe(true);
  });

  it("keeps a backup of a missing cluster Pending with ClusterNotFound", async () => {
    await mgr.client.create(EtcdBackup, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdBackup", metadata: { name: "orphan", namespace: NS }, spec: { clusterName: "nope", storage: { name: "backup", emptyDir: {} } } });
    const b = await until("pending", async () => {
      const o = await mgr.client.direct.get(EtcdBackup, "orphan", { namespace: NS });
      return o.status?.phase === "Pending" ? o : undefined;
    });
    expect(findStatusCondition(b.status?.conditions, "ClusterReady")).toMatchObject({ status: "False", reason: "ClusterNotFound" });
    expect(await mgr.client.direct.get(Job, "orphan-snapshot", { namespace: NS }).then(() => "exists", () => "none")).toBe("none");
  });

  it("reports an even size with the EvenSize condition, and refuses an unknown version without starting anything", async () => {
    await mgr.client.create(EtcdCluster, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdCluster", metadata: { name: "even", namespace: NS }, spec: { size: 2, version: "3.7.0" } });
    const even = await converged("even", 2, "3.7.0");
    expect(findStatusCondition(even.status?.conditions, "EvenSize")).toMatchObject({ status: "True", reason: "NoExtraFaultTolerance" });

    await mgr.client.create(EtcdCluster, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdCluster", metadata: { name: "future", namespace: NS }, spec: { size: 1, version: "3.9.0" } });
    const future = await until("unknown version reported", async () => {
      const o = await get("future");
      return findStatusCondition(o.status?.conditions, "VersionAccepted")?.status === "False" ? o : undefined;
    });
    expect(findStatusCondition(future.status?.conditions, "VersionAccepted")?.reason).toBe("UnsupportedVersion");
    expect(await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: "etcd.example.com/cluster=future" })).toEqual([]);
  });

  it("reports a cluster whose every member died as Failed, and does not re-seed over it", async () => {
    await mgr.client.create(EtcdCluster, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdCluster", metadata: { name: "lone", namespace: NS }, spec: { size: 1, version: "3.7.0" } });
    const c = await converged("lone", 1, "3.7.0");
    const only = c.status?.members?.[0]?.name ?? "";
    await runner.process(only)?.stop("SIGKILL");
    const lost = await until("phase Failed", async () => {
      const o = await get("lone");
      return o.status?.phase === "Failed" ? o : undefined;
    });
    expect(findStatusCondition(lost.status?.conditions, "Available")).toMatchObject({ status: "False", reason: "QuorumLost" });
    expect(findStatusCondition(lost.status?.conditions, "Progressing")?.reason).toBe("QuorumLost");
    const pods = await mgr.client.direct.list(Pod, { namespace: NS, labelSelector: "etcd.example.com/cluster=lone" });
    expect(pods.map((p) => [p.metadata?.name, p.status?.phase])).toEqual([[only, "Failed"]]);
  });

  it("the CRD refuses size 0, a malformed version and a repository with a tag", async () => {
    const bad = async (spec: object) =>
      mgr.client.create(EtcdCluster, { apiVersion: "etcd.example.com/v1alpha1", kind: "EtcdCluster", metadata: { name: "bad", namespace: NS }, spec } as EtcdCluster).then(() => "created", (e: unknown) => String(e));
    expect(await bad({ size: 0, version: "3.7.0" })).toMatch(/spec.size/);
    expect(await bad({ size: 3, version: "latest" })).toMatch(/spec.version/);
    expect(await bad({ size: 3, version: "3.7.0", repository: "quay.io/coreos/etcd:v3.7.0" })).toMatch(/must not carry a tag/);
  });
});
