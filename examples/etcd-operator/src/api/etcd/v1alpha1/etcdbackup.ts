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

import { defineKind, type Condition, type DateTime, type Int64, type ObjectMeta, type Volume } from "tsop/types";

/** EtcdBackupSpec defines which cluster to snapshot and where the snapshot goes. */
export interface EtcdBackupSpec {
  /**
   * Name of the EtcdCluster (same namespace) to snapshot.
   * @minLength 1
   * @validation rule="self == oldSelf" message="clusterName is immutable"
   */
  clusterName: string;
  /**
   * Volume the snapshot file is written to, as in a pod spec (persistentVolumeClaim, nfs, ...); it
   * is mounted at /backup in the Job's pod. Its name is ignored.
   */
  storage: Volume;
  /**
   * File name of the snapshot in the volume. Default: `<backup name>.db`.
   * @pattern ^[A-Za-z0-9._-]+$
   */
  fileName?: string;
}

/** EtcdBackupStatus records the snapshot the backup Job took. */
export interface EtcdBackupStatus {
  /** Pending (waiting for a healthy cluster), Running (Job started), Succeeded or Failed. */
  phase?: "Pending" | "Running" | "Succeeded" | "Failed";
  /** The Job taking the snapshot. */
  jobName?: string;
  /** Member the snapshot was taken from. */
  member?: string;
  /** etcd version of that member when the Job started. */
  etcdVersion?: string;
  /** etcd revision of that member when the Job started (the snapshot holds at least this revision). */
  etcdRevision?: Int64;
  /** Path of the snapshot in the volume. */
  snapshotPath?: string;
  /** When the Job started. */
  startTime?: DateTime;
  /** When the Job finished (successfully or not). */
  completionTime?: DateTime;
  /**
   * Complete, Failed (as the Job's), and ClusterReady.
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  /** The .metadata.generation this status was computed from. */
  observedGeneration?: Int64;
}

/**
 * EtcdBackup takes one snapshot of an EtcdCluster with a Job running `etcdctl snapshot save`.
 * @scope Namespaced
 * @plural etcdbackups
 * @subresource status
 * @printColumn name=Cluster type=string jsonPath=.spec.clusterName
 * @printColumn name=Phase type=string jsonPath=.status.phase
 * @printColumn name=Revision type=integer jsonPath=.status.etcdRevision
 * @printColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface EtcdBackup {
  apiVersion?: "etcd.example.com/v1alpha1";
  kind?: "EtcdBackup";
  metadata?: ObjectMeta;
  spec?: EtcdBackupSpec;
  status?: EtcdBackupStatus;
}

/** The runtime descriptor of EtcdBackup: what the client needs to address it on the apiserver. */
export const EtcdBackup = defineKind<EtcdBackup>({
  group: "etcd.example.com",
  version: "v1alpha1",
  kind: "EtcdBackup",
  plural: "etcdbackups",
  namespaced: true,
});
