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
 * The EtcdBackup controller: once its cluster has a healthy member, it records that member's
 * version and revision and starts a Job running `etcdctl snapshot save` against it, into the
 * backup's volume; the Job's outcome becomes the backup's phase. One backup, one snapshot.
 * @module
 */
import {
  ignoreNotFound,
  isAlreadyExists,
  isNotFound,
  setControllerReference,
  setStatusCondition,
  type Client,
  type Manager,
  type Reconciler,
  type Request,
  type Result,
} from "tsop/runtime";
import { Job } from "tsop/runtime/kinds";
import type { Volume as CoreVolume } from "kubernetes-types/core/v1.js";
import { EtcdBackup, type EtcdBackupStatus } from "../api/etcd/v1alpha1/etcdbackup.js";
import { EtcdCluster } from "../api/etcd/v1alpha1/etcdcluster.js";
import { EtcdClient } from "../etcd/client.js";
import { DnsResolver, type MemberResolver } from "../etcd/resolver.js";
import { imageFor, labelsFor } from "../cluster/resources.js";

/** The batch/v1 Job object type. */
export type JobObject = NonNullable<(typeof Job)["__object"]>;

/** Options of {@link EtcdBackupReconciler}. */
export interface EtcdBackupReconcilerOptions {
  /** Where members are reached; the Job's `--endpoints` too. Default: pod DNS names. */
  resolver?: MemberResolver;
  /** Delay before looking again while waiting for a healthy cluster. Default: 2000. */
  retryIntervalMs?: number;
}

/**
 * Reconciles EtcdBackup objects.
 *
 * @rbac groups=etcd.example.com resources=etcdbackups verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=etcd.example.com resources=etcdbackups/status verbs=get;update;patch
 * @rbac groups=etcd.example.com resources=etcdbackups/finalizers verbs=update
 * @rbac groups=etcd.example.com resources=etcdclusters verbs=get;list;watch
 * @rbac groups=batch resources=jobs verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=core resources=events verbs=create;patch
 */
export class EtcdBackupReconciler implements Reconciler {
  private client!: Client;
  private readonly resolver: MemberResolver;
  private readonly retryMs: number;

  constructor(opts: EtcdBackupReconcilerOptions = {}) {
    this.resolver = opts.resolver ?? new DnsResolver();
    this.retryMs = opts.retryIntervalMs ?? 2000;
  }

  /** Registers the controller: EtcdBackups and the Jobs they own. */
  setupWithManager(mgr: Manager): void {
    this.client = mgr.client;
    mgr.controller("etcdbackup").for(EtcdBackup).owns(Job).complete(this);
  }

  async reconcile(req: Request): Promise<Result> {
    const backup = await this.client.get(EtcdBackup, req.name, { namespace: req.namespace }).catch(ignoreNotFound);
    if (!backup || backup.metadata?.deletionTimestamp) return {};
    const phase = backup.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") return {};
    const status: EtcdBackupStatus = { ...backup.status };
    const gen = backup.metadata?.generation === undefined ? {} : { observedGeneration: backup.metadata.generation };
    if (gen.observedGeneration !== undefined) status.observedGeneration = gen.observedGeneration;

    const jobName = `${req.name}-snapshot`;
    const job = await this.client.get(Job, jobName, { namespace: req.namespace }).catch(ignoreNotFound);
    if (job) {
      followJob(status, job, gen);
      await this.writeStatus(backup, status);
      return {};
    }

    // No Job yet: it needs a healthy member of the cluster.
    const clusterName = backup.spec?.clusterName ?? "";
    const cluster = await this.client.get(EtcdCluster, clusterName, { namespace: req.namespace }).catch(ignoreNotFound);
    const member = cluster?.status?.members?.find((m) => m.healthy && !m.learner);
    if (!cluster || !member) {
      status.phase = "Pending";
      setStatusCondition(status, { type: "ClusterReady", status: "False", reason: cluster ? "NoHealthyMember" : "ClusterNotFound", message: cluster ? `EtcdCluster ${clusterName} has no healthy member yet` : `EtcdCluster ${clusterName} not found`, ...gen });
      await this.writeStatus(backup, status);
      return { requeueAfter: this.retryMs };
    }
    const endpoint = this.resolver.clientURL({ namespace: req.namespace ?? "", cluster: clusterName, name: member.name });
    const state = await new EtcdClient(endpoint).status().catch(() => undefined);
    if (!state) return { requeueAfter: this.retryMs };

    const file = `/backup/${backup.spec?.fileName ?? `${req.name}.db`}`;
    const version = cluster.status?.currentVersion ?? state.version;
    await this.client.create(Job, snapshotJob(backup, cluster, jobName, endpoint, file, version)).catch((e: unknown) => { if (!isAlreadyExists(e)) throw e; });
    Object.assign(status, { phase: "Running", jobName, member: member.name, etcdVersion: state.version, etcdRevision: state.revision, snapshotPath: file, startTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
    setStatusCondition(status, { type: "ClusterReady", status: "True", reason: "HealthyMember", message: `snapshot from ${member.name} at revision ${state.revision}`, ...gen });
    await this.writeStatus(backup, status);
    return {};
  }

  private async writeStatus(backup: EtcdBackup, status: EtcdBackupStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(backup.status ?? {})) return;
    await this.client
      .patchStatus(EtcdBackup, backup.metadata?.name ?? "", { status }, { namespace: backup.metadata?.namespace ?? "", type: "merge" })
      .catch((e: unknown) => { if (!isNotFound(e)) throw e; });
  }
}

/** Copies the Job's outcome into the backup's status. */
function followJob(status: EtcdBackupStatus, job: JobObject, gen: { observedGeneration?: number }): void {
  const done = job.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  if (!done) {
    status.phase = "Running";
    return;
  }
  status.phase = done.type === "Complete" ? "Succeeded" : "Failed";
  status.completionTime = job.status?.completionTime ?? done.lastTransitionTime ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
  setStatusCondition(status, { type: done.type, status: "True", reason: done.reason ?? done.type, message: done.message ?? "", ...gen });
}

/** The Job: etcd's own image, `etcdctl snapshot save` from one member into the backup volume. */
export function snapshotJob(backup: EtcdBackup, cluster: EtcdCluster, name: string, endpoint: string, file: string, version: string): JobObject {
  // The spec's Volume has the same shape as the pod's (tsop/types mirrors k8s.io/api).
  const volume = { ...(backup.spec?.storage as CoreVolume), name: "backup" };
  const job: JobObject = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: backup.metadata?.namespace ?? "", labels: { ...labelsFor(cluster, "backup"), "etcd.example.com/backup": backup.metadata?.name ?? "" } },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels: { ...labelsFor(cluster, "backup"), "etcd.example.com/backup": backup.metadata?.name ?? "" } },
        spec: {
          restartPolicy: "Never",
          securityContext: { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "snapshot",
              image: imageFor(cluster, version),
              command: ["/usr/local/bin/etcdctl", `--endpoints=${endpoint}`, "snapshot", "save", file],
              volumeMounts: [{ name: "backup", mountPath: "/backup" }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            },
          ],
          volumes: [volume],
        },
      },
    },
  };
  setControllerReference(backup, job, EtcdBackup);
  return job;
}
