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
 * Observes an etcd cluster: its member pods (from the cache) and, through the first member that
 * answers, etcd's member list, each member's health and who leads.
 * @module
 */
import type { Client } from "tsop/runtime";
import { Pod } from "tsop/runtime/kinds";
import { isControlledBy } from "tsop/runtime/owner";
import type { EtcdCluster } from "../api/etcd/v1alpha1/etcdcluster.js";
import { EtcdClient, type EtcdMember } from "../etcd/client.js";
import type { MemberResolver } from "../etcd/resolver.js";
import type { ObservedMember, ObservedPod } from "./plan.js";
import { CLUSTER_LABEL, type PodObject } from "./resources.js";
import { versionOfImage } from "./version.js";

/** What {@link observeCluster} returns. */
export interface ClusterView {
  pods: PodObject[];
  observedPods: ObservedPod[];
  /** undefined when no member answered. */
  members: ObservedMember[] | undefined;
  /** Raw member list (peer URLs), to build a joining member's `--initial-cluster`. */
  rawMembers: EtcdMember[];
  /** A client of a member's client URL. */
  clientOf(member: string): EtcdClient;
}

/**
 * The member pods of `cluster` (controlled by it), read from the apiserver rather than the cache: a
 * pod created by the previous step may not be in the cache yet, and acting on a list without it
 * would start a second seed or add a second member. One list per step of one cluster is cheap.
 */
export async function memberPods(client: Client, cluster: EtcdCluster): Promise<PodObject[]> {
  const ns = cluster.metadata?.namespace ?? "";
  const pods = await client.direct.list(Pod, { namespace: ns, labelSelector: `${CLUSTER_LABEL}=${cluster.metadata?.name ?? ""},app.kubernetes.io/component=member` });
  return pods.filter((p) => isControlledBy(p, cluster)).sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
}

function observePod(p: PodObject): ObservedPod {
  const spec = p.spec?.containers.find((c) => c.name === "etcd");
  const running = p.status?.containerStatuses?.find((c) => c.name === "etcd");
  return {
    name: p.metadata?.name ?? "",
    phase: p.status?.phase ?? "Pending",
    deleting: Boolean(p.metadata?.deletionTimestamp),
    specVersion: versionOfImage(spec?.image),
    runningVersion: versionOfImage(running?.image),
  };
}

/** Reads pods, the member list and the members' health. */
export async function observeCluster(client: Client, cluster: EtcdCluster, resolver: MemberResolver): Promise<ClusterView> {
  const ns = cluster.metadata?.namespace ?? "";
  const name = cluster.metadata?.name ?? "";
  const pods = await memberPods(client, cluster);
  const observedPods = pods.map(observePod);
  const clientOf = (member: string): EtcdClient => new EtcdClient(resolver.clientURL({ namespace: ns, cluster: name, name: member }), { timeoutMs: 2000 });

  // Ask members in turn (running pods first) until one gives the member list.
  let raw: EtcdMember[] | undefined;
  let leader = "0";
  const order = [...observedPods].sort((a, b) => Number(b.phase === "Running") - Number(a.phase === "Running"));
  for (const p of order) {
    if (p.deleting) continue;
    const c = clientOf(p.name);
    try {
      raw = await c.memberList();
      leader = (await c.status()).leader;
      break;
    } catch {
      // not up (yet): try the next one
    }
  }
  if (!raw) return { pods, observedPods, members: undefined, rawMembers: [], clientOf };

  const members = await Promise.all(
    raw.map(async (m): Promise<ObservedMember> => {
      const resolved = m.name || resolver.memberForPeerURL(ns, name, m.peerURLs[0] ?? "") || "";
      const started = m.name !== "";
      const healthy = started && resolved !== "" && (await clientOf(resolved).healthy());
      return { id: m.id, name: resolved || `unknown-${m.id}`, started, learner: m.isLearner, healthy, leader: m.id === leader };
    }),
  );
  return { pods, observedPods, members, rawMembers: raw, clientOf };
}
