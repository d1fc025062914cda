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

/**
 * The EtcdCluster controller, the seed etcd operator's loop: observe the member pods and etcd's
 * member list, take ONE step (seed, add a member then create its pod, promote it, remove a member
 * then delete its pod, replace a failed member, upgrade one member), write the status, look again.
 * @module
 */
import {
  ignoreNotFound,
  isAlreadyExists,
  isNotFound,
  type Client,
  type EventRecorder,
  type Manager,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from "tsop/runtime";
import { Pod, Service } from "tsop/runtime/kinds";
import { EtcdCluster, type EtcdClusterStatus } from "../api/etcd/v1alpha1/etcdcluster.js";
import { EtcdError, type EtcdClient, type EtcdMember } from "../etcd/client.js";
import { DnsResolver, type MemberResolver } from "../etcd/resolver.js";
import { observeCluster, type ClusterView } from "../cluster/observe.js";
import { nextStep, type Step } from "../cluster/plan.js";
import { clientService, disruptionBudget, imageFor, memberPod, peerService, PodDisruptionBudget, type PodObject } from "../cluster/resources.js";
import { clusterStatus } from "../cluster/status.js";
import { checkVersion } from "../cluster/version.js";

/** Options of {@link EtcdClusterReconciler}. */
export interface EtcdClusterReconcilerOptions {
  /** Where members are reached. Default: pod DNS names ({@link DnsResolver}). */
  resolver?: MemberResolver;
  /** Delay before looking again while a step is in progress (etcd changes fire no Kubernetes event). Default: 1000. */
  stepIntervalMs?: number;
  /** Delay between health checks of a cluster that matches its spec. Default: 15000. */
  healthCheckIntervalMs?: number;
  /** Names new members. Default: `<cluster>-<5 random [a-z0-9]>`. */
  memberName?: (cluster: string) => string;
}

/**
 * Reconciles EtcdCluster objects.
 *
 * @rbac groups=etcd.example.com resources=etcdclusters verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=etcd.example.com resources=etcdclusters/status verbs=get;update;patch
 * @rbac groups=etcd.example.com resources=etcdclusters/finalizers verbs=update
 * @rbac groups=core resources=pods verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=core resources=services verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=policy resources=poddisruptionbudgets verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=core resources=events verbs=create;patch
 */
export class EtcdClusterReconciler implements Reconciler {
  private client!: Client;
  private recorder!: EventRecorder;
  private readonly resolver: MemberResolver;
  private readonly stepMs: number;
  private readonly healthMs: number;
  private readonly memberName: (cluster: string) => string;
  /** Name of the member being added, per cluster uid, until etcd accepts it. */
  private readonly pendingNames = new Map<string, string>();

  constructor(opts: EtcdClusterReconcilerOptions = {}) {
    this.resolver = opts.resolver ?? new DnsResolver();
    this.stepMs = opts.stepIntervalMs ?? 1000;
    this.healthMs = opts.healthCheckIntervalMs ?? 15_000;
    this.memberName = opts.memberName ?? randomMemberName;
  }

  /** Registers the controller: EtcdClusters, and the pods, Services and PDBs they own. */
  setupWithManager(mgr: Manager): void {
    this.client = mgr.client;
    this.recorder = mgr.eventRecorder("etcdcluster-controller");
    mgr.controller("etcdcluster").for(EtcdCluster).owns(Pod).owns(Service).owns(PodDisruptionBudget).complete(this);
  }

  /** Waits until every Event recorded so far has been written. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result> {
    const cluster = await this.client.get(EtcdCluster, req.name, { namespace: req.namespace }).catch(ignoreNotFound);
    if (!cluster || cluster.metadata?.deletionTimestamp) return {}; // owned objects are garbage-collected
    await this.ensureServices(cluster);

    const view = await observeCluster(this.client, cluster, this.resolver);
    const verdict = checkVersion(cluster.spec?.version ?? "", cluster.status?.currentVersion);
    const target = verdict.accepted ? verdict.target : (cluster.status?.currentVersion ?? cluster.spec?.version ?? "");
    const bootstrapped = cluster.status?.phase === "Running" || cluster.status?.phase === "Failed";
    let step = nextStep({ pods: view.observedPods, members: view.members, bootstrapped }, { size: cluster.spec?.size ?? 1, version: target });
    if (!verdict.accepted && view.pods.length === 0) {
      // Nothing runs yet and the version is refused: start nothing rather than guess a version.
      step = { action: "wait", reason: "VersionNotAccepted", message: verdict.message };
    }
    try {
      step = await this.perform(cluster, view, step, target);
      if (step.action !== "none" && step.action !== "wait") {
        ctx.log.info({ step: describeStep(step) }, "etcd cluster step");
        const [type, reason] = eventOf(step);
        this.recorder.event(cluster, type, reason, describeStep(step), EtcdCluster);
      }
    } catch (e) {
      if (!(e instanceof EtcdError)) throw e;
      // etcd refused (e.g. a learner not yet in sync, or a quorum check): report and look again.
      step = { action: "wait", reason: "EtcdRefused", message: e.message };
    }
    await this.writeStatus(cluster, clusterStatus({ cluster, pods: view.observedPods, members: view.members, step, verdict }));
    if (step.action === "lost") return {};
    return { requeueAfter: step.action === "none" ? this.healthMs : this.stepMs };
  }

  private async perform(cluster: EtcdCluster, view: ClusterView, step: Step, version: string): Promise<Step> {
    const ns = cluster.metadata?.namespace ?? "";
    const name = cluster.metadata?.name ?? "";
    const ref = (member: string) => ({ namespace: ns, cluster: name, name: member });
    switch (step.action) {
      case "seed": {
        const member = this.memberName(name);
        await this.createPod(memberPod(cluster, this.resolver, { member, version, initialCluster: `${member}=${this.resolver.peerURL(ref(member))}`, state: "new" }));
        return step;
      }
      case "addMember": {
        const etcd = this.needHealthy(view);
        // One name per pending addition: etcd may refuse the add for a while (it waits until every
        // member has been connected for some seconds), and retries must not mint new members.
        const uid = cluster.metadata?.uid ?? name;
        const member = this.pendingNames.get(uid) ?? this.memberName(name);
        this.pendingNames.set(uid, member);
        // Membership first (as a learner: it cannot cost the quorum while it catches up), then the pod.
        const added = await etcd.memberAdd([this.resolver.peerURL(ref(member))], { learner: true });
        this.pendingNames.delete(uid);
        await this.createPod(memberPod(cluster, this.resolver, { member, version, initialCluster: this.initialCluster(ns, name, added.members, added.member.id, member), state: "existing" }));
        return step;
      }
      case "createPod": {
        const m = view.rawMembers.find((r) => !r.name && this.resolver.memberForPeerURL(ns, name, r.peerURLs[0] ?? "") === step.member);
        await this.createPod(memberPod(cluster, this.resolver, { member: step.member, version, initialCluster: this.initialCluster(ns, name, view.rawMembers, m?.id ?? "", step.member), state: "existing" }));
        return step;
      }
      case "promote":
        await this.needHealthy(view).memberPromote(step.member.id);
        return step;
      case "removeMember": {
        await this.needHealthy(view, step.member.name).memberRemove(step.member.id);
        await this.client.delete(Pod, step.member.name, { namespace: ns }).catch(ignoreNotFound);
        return step;
      }
      case "deletePod":
        await this.client.delete(Pod, step.pod, { namespace: ns }).catch(ignoreNotFound);
        return step;
      case "upgrade":
        // The image of a pod's container may change in place: the kubelet restarts the container
        // with the new image on the same emptyDir, so the member keeps its data and identity.
        await this.client.patch(Pod, step.pod, { metadata: { annotations: { "etcd.example.com/version": version } }, spec: { containers: [{ name: "etcd", image: imageFor(cluster, version) }] } }, { namespace: ns, type: "strategic" });
        return step;
      default:
        return step;
    }
  }

  /** `--initial-cluster` of a joining member: every member's name and peer URL. */
  private initialCluster(ns: string, cluster: string, members: EtcdMember[], newId: string, newName: string): string {
    return members
      .map((m) => {
        const n = m.id === newId ? newName : m.name || this.resolver.memberForPeerURL(ns, cluster, m.peerURLs[0] ?? "");
        return n ? `${n}=${m.peerURLs[0] ?? ""}` : undefined;
      })
      .filter((s): s is string => s !== undefined)
      .join(",");
  }

  /** A client of a healthy voting member (other than `not`), to run a membership change through. */
  private needHealthy(view: ClusterView, not?: string): EtcdClient {
    const m = view.members?.find((x) => x.healthy && !x.learner && x.name !== not);
    if (!m) throw new EtcdError("no healthy voting member to ask");
    return view.clientOf(m.name);
  }

  private async createPod(pod: PodObject): Promise<void> {
    await this.client.create(Pod, pod).catch((e: unknown) => {
      if (!isAlreadyExists(e)) throw e;
    });
  }

  private async ensureServices(cluster: EtcdCluster): Promise<void> {
    const ns = { namespace: cluster.metadata?.namespace ?? "" };
    for (const svc of [peerService(cluster), clientService(cluster)]) {
      const have = await this.client.get(Service, svc.metadata?.name ?? "", ns).catch(ignoreNotFound);
      if (!have) await this.client.create(Service, svc).catch((e: unknown) => { if (!isAlreadyExists(e)) throw e; });
    }
    const pdb = disruptionBudget(cluster);
    const have = await this.client.get(PodDisruptionBudget, pdb.metadata?.name ?? "", ns).catch(ignoreNotFound);
    if (!have) await this.client.create(PodDisruptionBudget, pdb).catch((e: unknown) => { if (!isAlreadyExists(e)) throw e; });
    else if (have.spec?.minAvailable !== pdb.spec?.minAvailable) {
      await this.client.patch(PodDisruptionBudget, pdb.metadata?.name ?? "", { spec: { minAvailable: pdb.spec?.minAvailable } }, { ...ns, type: "merge" });
    }
  }

  private async writeStatus(cluster: EtcdCluster, status: EtcdClusterStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(cluster.status ?? {})) return;
    await this.client
      .patchStatus(EtcdCluster, cluster.metadata?.name ?? "", { status }, { namespace: cluster.metadata?.namespace ?? "", type: "merge" })
      .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
  }
}

/** Event type and reason of a performed step (a failed member being replaced is a Warning). */
function eventOf(step: Step): ["Normal" | "Warning", string] {
  switch (step.action) {
    case "seed": return ["Normal", "SeedMemberCreated"];
    case "addMember": return ["Normal", "MemberAdded"];
    case "createPod": return ["Normal", "MemberPodCreated"];
    case "promote": return ["Normal", "MemberPromoted"];
    case "removeMember": return step.why === "ReplaceFailed" ? ["Warning", "ReplacingFailedMember"] : ["Normal", "MemberRemoved"];
    case "deletePod": return ["Normal", "StrayPodDeleted"];
    case "upgrade": return ["Normal", "MemberUpgrading"];
    case "lost": return ["Warning", "AllMembersLost"];
    default: return ["Normal", step.action];
  }
}

/** One line saying what a step does, for logs and Events. */
function describeStep(step: Step): string {
  return "member" in step && typeof step.member === "object" ? `${step.action} ${step.member.name}` : "member" in step ? `${step.action} ${step.member}` : "pod" in step ? `${step.action} ${step.pod}` : step.action;
}

/** `<cluster>-<5 random lowercase letters or digits>`, as the seed operator names members. */
export function randomMemberName(cluster: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let s = "";
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `${cluster}-${s}`;
}
