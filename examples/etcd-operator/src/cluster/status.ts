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
 * The EtcdCluster status from one observation and the step taken: members with health, phase,
 * versions and the conditions Available, Progressing, Degraded, VersionAccepted and EvenSize.
 * @module
 */
import { removeStatusCondition, setStatusCondition } from "tsop/runtime/conditions";
import type { EtcdCluster, EtcdClusterStatus, EtcdMemberStatus } from "../api/etcd/v1alpha1/etcdcluster.js";
import type { ObservedMember, ObservedPod, Step } from "./plan.js";
import { quorum } from "./resources.js";
import type { VersionVerdict } from "./version.js";

/** Input of {@link clusterStatus}. */
export interface StatusInput {
  cluster: EtcdCluster;
  pods: ObservedPod[];
  members: ObservedMember[] | undefined;
  step: Step;
  verdict: VersionVerdict;
}

const PROGRESS: Record<Step["action"], string> = {
  seed: "Bootstrapping",
  addMember: "ScalingUp",
  createPod: "ScalingUp",
  promote: "ScalingUp",
  removeMember: "ScalingDown",
  deletePod: "RemovingPod",
  upgrade: "Upgrading",
  wait: "Waiting",
  lost: "QuorumLost",
  none: "AsExpected",
};

function describe(step: Step): string {
  switch (step.action) {
    case "seed": return "starting the seed member";
    case "addMember": return "adding a member";
    case "createPod": return `creating the pod of member ${step.member}`;
    case "promote": return `promoting learner ${step.member.name}`;
    case "removeMember": return step.why === "ReplaceFailed" ? `replacing failed member ${step.member.name}` : `removing member ${step.member.name}`;
    case "deletePod": return `deleting pod ${step.pod}, which is no member`;
    case "upgrade": return `upgrading member ${step.pod}`;
    case "wait": return step.message;
    case "lost": return step.message;
    case "none": return "members match the spec";
  }
}

/** A new status (the old one is not modified). */
export function clusterStatus(input: StatusInput): EtcdClusterStatus {
  const { cluster, step, verdict } = input;
  const old = cluster.status ?? {};
  const status: EtcdClusterStatus = { ...old, conditions: [...(old.conditions ?? [])] };
  const g = cluster.metadata?.generation;
  const gen = g === undefined ? {} : { observedGeneration: g };
  const size = cluster.spec?.size ?? 1;
  const pods = new Map(input.pods.map((p) => [p.name, p]));
  const members = input.members ?? [];

  if (input.members) {
    status.members = members
      .map((m): EtcdMemberStatus => {
        const pod = pods.get(m.name);
        const v = pod?.runningVersion ?? pod?.specVersion;
        return { name: m.name, id: m.id, healthy: m.healthy, ...(m.learner ? { learner: true } : {}), ...(m.leader ? { leader: true } : {}), ...(v ? { version: v } : {}), ...(pod ? { podPhase: pod.phase } : {}) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    status.size = members.length;
  }
  const healthy = members.filter((m) => m.healthy).length;
  status.ready = `${healthy}/${size}`;
  status.clientService = `${cluster.metadata?.name ?? ""}-client`;

  const versions = new Set(input.pods.map((p) => p.runningVersion ?? p.specVersion));
  const only = versions.size === 1 ? [...versions][0] : undefined;
  if (only && input.members && members.every((m) => m.healthy)) status.currentVersion = only;
  const target = verdict.accepted ? verdict.target : status.currentVersion;
  if (target) status.targetVersion = target;

  if (step.action === "lost") status.phase = "Failed";
  else if (status.phase !== "Running") status.phase = step.action === "none" ? "Running" : "Creating";

  const voters = members.filter((m) => !m.learner);
  const healthyVoters = voters.filter((m) => m.healthy).length;
  const available = voters.length > 0 && healthyVoters >= quorum(voters.length);
  setStatusCondition(status, available
    ? { type: "Available", status: "True", reason: "QuorumHealthy", message: `${healthyVoters}/${voters.length} voting members healthy`, ...gen }
    : { type: "Available", status: "False", reason: step.action === "seed" || status.phase === "Creating" ? "Bootstrapping" : "QuorumLost", message: `${healthyVoters}/${voters.length} voting members healthy`, ...gen });
  const reason = step.action === "wait" ? step.reason : step.action === "removeMember" && step.why === "ReplaceFailed" ? "ReplacingMember" : PROGRESS[step.action];
  setStatusCondition(status, { type: "Progressing", status: step.action === "none" ? "False" : "True", reason, message: describe(step), ...gen });
  const down = members.filter((m) => !m.healthy).map((m) => m.name);
  setStatusCondition(status, down.length > 0
    ? { type: "Degraded", status: "True", reason: "MembersUnhealthy", message: `unhealthy: ${down.join(", ")}`, ...gen }
    : { type: "Degraded", status: "False", reason: "AsExpected", message: "", ...gen });
  setStatusCondition(status, verdict.accepted
    ? { type: "VersionAccepted", status: "True", reason: "Accepted", message: `running toward ${verdict.target}`, ...gen }
    : { type: "VersionAccepted", status: "False", reason: verdict.reason, message: verdict.message, ...gen });
  if (size % 2 === 0) {
    setStatusCondition(status, { type: "EvenSize", status: "True", reason: "NoExtraFaultTolerance", message: `size ${size} tolerates ${size / 2 - 1} failed member(s), like size ${size - 1}; an odd size is recommended`, ...gen });
  } else {
    removeStatusCondition(status, "EvenSize");
  }
  if (g !== undefined) status.observedGeneration = g;
  return status;
}
