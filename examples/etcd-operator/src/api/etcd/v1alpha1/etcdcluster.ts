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

import { defineKind, type Condition, type Int32, type Int64, type ObjectMeta, type ResourceRequirements } from "tsop/types";

/** EtcdClusterSpec defines the desired state of an etcd cluster. */
export interface EtcdClusterSpec {
  /**
   * Number of members. Odd sizes tolerate the most failures per member: an even size is accepted
   * and reported with an `EvenSize` condition.
   * @minimum 1
   * @maximum 9
   */
  size: Int32;
  /**
   * etcd version the members run, `MAJOR.MINOR.PATCH` (e.g. `3.7.0`). Changing it rolls the members
   * one at a time; a downgrade, a skipped minor version or a version the operator does not know is
   * refused and reported in the `VersionAccepted` condition.
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+$
   * @default "3.7.0"
   */
  version: string;
  /**
   * Image repository of etcd; the tag is `v<version>`.
   * @default "gcr.io/etcd-development/etcd"
   * @validation rule="!self.contains('@') && !self.matches(':[^/]*$')" message="repository must not carry a tag or digest: the tag comes from version"
   */
  repository?: string;
  /** Compute resources of each member's etcd container. */
  resources?: ResourceRequirements;
}

/** One etcd member as the operator last saw it. */
export interface EtcdMemberStatus {
  /** Member name, also its pod's name. */
  name: string;
  /** etcd member ID (decimal). */
  id?: string;
  /** The member answered etcd's health check. */
  healthy: boolean;
  /** The member is a learner (added, not yet promoted to a voter). */
  learner?: boolean;
  /** The member is the raft leader. */
  leader?: boolean;
  /** etcd version its pod runs (image tag). */
  version?: string;
  /** The pod's phase. */
  podPhase?: string;
}

/** EtcdClusterStatus defines the observed state of an etcd cluster. */
export interface EtcdClusterStatus {
  /** Creating until all members first run healthy, then Running; Failed when every member is lost. */
  phase?: "Creating" | "Running" | "Failed";
  /** Members in etcd's member list. */
  size?: Int32;
  /** Healthy members / size, for `kubectl get`. */
  ready?: string;
  /** The version every member runs, once they agree. */
  currentVersion?: string;
  /** The version the members are being moved to (the accepted spec.version). */
  targetVersion?: string;
  /**
   * Members, sorted by name.
   * @listType map
   * @listMapKey name
   */
  members?: EtcdMemberStatus[];
  /** Service clients use (`<name>-client`, port 2379). */
  clientService?: string;
  /**
   * Available (a quorum of healthy members), Progressing (bootstrapping, scaling, upgrading or
   * replacing a member), Degraded (some member unhealthy), VersionAccepted, EvenSize.
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  /** The .metadata.generation this status was computed from. */
  observedGeneration?: Int64;
}

/**
 * EtcdCluster is an etcd cluster whose members the operator adds, removes, replaces and upgrades
 * one at a time through etcd's cluster API.
 * @scope Namespaced
 * @plural etcdclusters
 * @shortName etcd
 * @subresource status
 * @subresource scale specpath=.spec.size statuspath=.status.size
 * @printColumn name=Size type=integer jsonPath=.spec.size
 * @printColumn name=Ready type=string jsonPath=.status.ready
 * @printColumn name=Version type=string jsonPath=.status.currentVersion
 * @printColumn name=Phase type=string jsonPath=.status.phase
 * @printColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface EtcdCluster {
  apiVersion?: "etcd.example.com/v1alpha1";
  kind?: "EtcdCluster";
  metadata?: ObjectMeta;
  spec?: EtcdClusterSpec;
  status?: EtcdClusterStatus;
}

/** The runtime descriptor of EtcdCluster: what the client needs to address it on the apiserver. */
export const EtcdCluster = defineKind<EtcdCluster>({
  group: "etcd.example.com",
  version: "v1alpha1",
  kind: "EtcdCluster",
  plural: "etcdclusters",
  namespaced: true,
});
