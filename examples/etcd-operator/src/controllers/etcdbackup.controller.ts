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

import {
  ignoreNotFound,
  setStatusCondition,
  type Client,
  type Manager,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from "tsop/runtime";
import { EtcdBackup } from "../api/etcd/v1alpha1/etcdbackup.js";

/**
 * Reconciles EtcdBackup objects: brings the cluster to the state each one's spec asks for and reports
 * what it saw in its status. `tsop manifests` turns the RBAC tags below into config/rbac/role.yaml.
 *
 * @rbac groups=etcd.example.com resources=etcdbackups verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=etcd.example.com resources=etcdbackups/status verbs=get;update;patch
 * @rbac groups=etcd.example.com resources=etcdbackups/finalizers verbs=update
 * @rbac groups=core resources=events verbs=create;patch
 */
export class EtcdBackupReconciler implements Reconciler {
  private client!: Client;

  /** Registers the controller with the manager: it reconciles every EtcdBackup. */
  setupWithManager(mgr: Manager): void {
    this.client = mgr.client;
    mgr.controller("etcdbackup").for(EtcdBackup).complete(this);
  }

  /**
   * Called whenever a EtcdBackup (or something it watches) changes. Level-triggered: read the
   * current state, act, and report; return `{ requeueAfter: ms }` to look again later.
   */
  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result> {
    const obj = await this.client.get(EtcdBackup, req.name, { namespace: req.namespace }).catch(ignoreNotFound);
    if (!obj) return {}; // deleted; objects it owns are garbage-collected

    // TODO(user): your logic goes here: compare obj.spec with the world, create or update what is
    // missing (use setControllerReference so owned objects follow the EtcdBackup), and add a
    // finalizer (addFinalizer) when deleting needs clean-up outside the cluster.
    ctx.log.debug({ generation: obj.metadata?.generation }, "reconciling EtcdBackup");

    // Report what was observed. Cached objects are shared and frozen: change a copy.
    const generation = obj.metadata?.generation;
    const status = { ...obj.status };
    const changed = setStatusCondition(status, {
      type: "Available",
      status: "True",
      reason: "Reconciled",
      message: "The EtcdBackup was reconciled",
      observedGeneration: generation,
    });
    if (changed || status.observedGeneration !== generation) {
      status.observedGeneration = generation;
      await this.client.updateStatus(EtcdBackup, { ...obj, status });
    }
    return {};
  }
}
