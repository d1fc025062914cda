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
 * The membership plan: given what the pods and etcd's member list show, the ONE next step that
 * moves the cluster toward its spec. Pure (no I/O), so each rule is unit-tested; the controller
 * observes, asks for the step, performs it, and looks again. One step at a time, each taken only
 * when the cluster is healthy, is the seed operator's safety rule: a membership change never
 * starts while another is unfinished or a member is down (except to replace that member).
 * @module
 */

/** A member pod as the controller sees it. */
export interface ObservedPod {
  name: string;
  /** Pod phase (Pending, Running, Succeeded, Failed, Unknown). */
  phase: string;
  /** Deletion was requested. */
  deleting: boolean;
  /** Version in the pod's spec image. */
  specVersion: string | undefined;
  /** Version of the image the container runs (containerStatuses), once reported. */
  runningVersion: string | undefined;
}

/** A member of etcd's member list, with its health. */
export interface ObservedMember {
  id: string;
  /** Member name (its pod's): published by etcd once started, else found from its peer URL. */
  name: string;
  /** The member has started (it published its name). */
  started: boolean;
  learner: boolean;
  healthy: boolean;
  leader: boolean;
}

/** What the controller saw. */
export interface Observation {
  pods: ObservedPod[];
  /** Members, or undefined when no member could be asked. */
  members: ObservedMember[] | undefined;
  /** The cluster ran before (a cluster with no members left is lost, not new). */
  bootstrapped: boolean;
}

/** What the spec asks for (the version already checked). */
export interface Desired {
  size: number;
  version: string;
}

/** The next step. */
export type Step =
  | { action: "seed" }
  | { action: "addMember" }
  | { action: "createPod"; member: string }
  | { action: "promote"; member: ObservedMember }
  | { action: "removeMember"; member: ObservedMember; why: "ScaleDown" | "ReplaceFailed" }
  | { action: "deletePod"; pod: string }
  | { action: "upgrade"; pod: string }
  | { action: "wait"; reason: string; message: string }
  | { action: "lost"; message: string }
  | { action: "none" };

const GONE_PHASES = new Set(["Failed", "Succeeded"]);

/** The one next step toward `desired`. */
export function nextStep(obs: Observation, desired: Desired): Step {
  const livePods = obs.pods.filter((p) => !GONE_PHASES.has(p.phase));
  if (!obs.members) {
    if (obs.bootstrapped && livePods.length === 0) return { action: "lost", message: "every member is gone; restore from a backup into a new EtcdCluster" };
    if (obs.pods.length === 0) return { action: "seed" };
    return { action: "wait", reason: obs.bootstrapped ? "NoMemberReachable" : "Bootstrapping", message: "waiting for a member to answer" };
  }
  const members = obs.members;
  const pods = new Map(obs.pods.map((p) => [p.name, p]));
  const names = new Set(members.map((m) => m.name));

  const orphan = obs.pods.find((p) => !names.has(p.name) && !p.deleting);
  if (orphan) return { action: "deletePod", pod: orphan.name };

  for (const m of members) {
    const pod = pods.get(m.name);
    if (!pod && !m.started) return { action: "createPod", member: m.name };
    if (!pod || GONE_PHASES.has(pod.phase)) return { action: "removeMember", member: m, why: "ReplaceFailed" };
  }

  const down = members.filter((m) => !m.healthy);
  if (down.length > 0) {
    const list = down.map((m) => m.name).join(", ");
    return { action: "wait", reason: "MembersUnhealthy", message: `waiting for ${list} to be healthy` };
  }
  const restarting = obs.pods.find((p) => p.specVersion !== p.runningVersion || p.deleting);
  if (restarting) return { action: "wait", reason: "MemberRestarting", message: `waiting for ${restarting.name} to run ${restarting.specVersion ?? "its image"}` };

  const learner = members.find((m) => m.learner);
  if (learner) return { action: "promote", member: learner };
  if (members.length < desired.size) return { action: "addMember" };
  if (members.length > desired.size) return { action: "removeMember", member: pickToRemove(members), why: "ScaleDown" };

  const stale = byUpgradeOrder(members).map((m) => pods.get(m.name)).find((p) => p && p.specVersion !== desired.version);
  if (stale) return { action: "upgrade", pod: stale.name };
  return { action: "none" };
}

/** Scale-down victim: never the leader (that would force an election), else the last by name. */
function pickToRemove(members: ObservedMember[]): ObservedMember {
  const sorted = [...members].sort((a, b) => b.name.localeCompare(a.name));
  return sorted.find((m) => !m.leader) ?? (sorted[0] as ObservedMember);
}

/** Followers first, the leader last: one leader change per upgrade, not one per member. */
function byUpgradeOrder(members: ObservedMember[]): ObservedMember[] {
  return [...members].sort((a, b) => Number(a.leader) - Number(b.leader) || a.name.localeCompare(b.name));
}
