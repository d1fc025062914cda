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
 * The Memcached controller: one Deployment per Memcached (replicas = spec.size), status conditions
 * Available / Progressing / Degraded with observedGeneration, and a finalizer that records an Event
 * when a Memcached is deleted.
 * @module
 */
import {
  type EventRecorder,
  ensureFinalizer,
  hasFinalizer,
  ignoreNotFound,
  removeFinalizerAndUpdate,
  setControllerReference,
  setStatusCondition,
  type Client,
  type Manager,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from "tsop/runtime";
import { Deployment } from "tsop/runtime/kinds";
import { Memcached, type MemcachedStatus } from "../api/cache/v1alpha1/memcached.js";

/** The Deployment object type (apps/v1). */
type DeploymentObject = NonNullable<(typeof Deployment)["__object"]>;

/** The finalizer this controller puts on every Memcached. */
export const MEMCACHED_FINALIZER = "cache.example.com/finalizer";
const DEFAULT_IMAGE = "memcached:1.6";
const DEFAULT_PORT = 11211;

/**
 * Reconciles Memcached objects.
 *
 * @rbac groups=cache.example.com resources=memcacheds verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=cache.example.com resources=memcacheds/status verbs=get;update;patch
 * @rbac groups=cache.example.com resources=memcacheds/finalizers verbs=update
 * @rbac groups=apps resources=deployments verbs=get;list;watch;create;update;patch;delete
 * @rbac groups="" resources=events verbs=create;patch
 */
export class MemcachedReconciler implements Reconciler {
  private client!: Client;
  private recorder!: EventRecorder;

  /** Registers the controller: reconcile Memcacheds, and their owned Deployments' owners. */
  setupWithManager(mgr: Manager): void {
    this.client = mgr.client;
    this.recorder = mgr.eventRecorder("memcached-controller");
    mgr.controller("memcached").for(Memcached).owns(Deployment).complete(this);
  }

  /** Waits until every Event recorded so far has been written. */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result> {
    const ns = req.namespace ? { namespace: req.namespace } : {};
    let mc = await this.client.get(Memcached, req.name, ns).catch(ignoreNotFound);
    if (!mc) return {};
    if (mc.metadata?.deletionTimestamp) return this.finalize(mc, ctx);
    if (!hasFinalizer(mc, MEMCACHED_FINALIZER)) {
      mc = await ensureFinalizer(this.client, Memcached, mc, MEMCACHED_FINALIZER);
      if (!mc) return {};
    }

    const desired = deploymentFor(mc);
    let dep: DeploymentObject | undefined = await this.client.get(Deployment, req.name, ns).catch(ignoreNotFound);
    const status: MemcachedStatus = { ...mc.status };
    const generation = mc.metadata?.generation;
    try {
      if (!dep) {
        dep = await this.client.create(Deployment, desired);
        ctx.log.info({ deployment: req.name }, "created Deployment");
      } else if (drifted(dep, desired)) {
        dep = await this.client.patch(Deployment, req.name, { spec: desired.spec }, { ...ns, type: "merge" });
        ctx.log.info({ deployment: req.name }, "updated Deployment");
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setStatusCondition(status, { type: "Degraded", status: "True", reason: "DeploymentFailed", message, ...gen(generation) });
      await this.writeStatus(mc, status);
      throw err;
    }
    if (!dep) return {};

    const changed = observe(status, dep, mc.spec?.size ?? 1, generation);
    if (changed || status.observedGeneration !== generation) {
      if (generation !== undefined) status.observedGeneration = generation;
      await this.writeStatus(mc, status);
    }
    return {};
  }

  private async finalize(mc: Memcached, ctx: ReconcileContext): Promise<Result> {
    if (!hasFinalizer(mc, MEMCACHED_FINALIZER)) return {};
    const m = mc.metadata ?? {};
    this.recorder.event(mc, "Warning", "Deleting", `Custom Resource ${m.name} is being deleted from the namespace ${m.namespace}`, Memcached);
    ctx.log.info({}, "finalizing Memcached");
    await removeFinalizerAndUpdate(this.client, Memcached, mc, MEMCACHED_FINALIZER);
    return {};
  }

  private async writeStatus(mc: Memcached, status: MemcachedStatus): Promise<void> {
    const m = mc.metadata ?? {};
    await this.client.patchStatus(Memcached, m.name ?? "", { status }, { ...(m.namespace ? { namespace: m.namespace } : {}), type: "merge" });
  }
}

function gen(generation: number | undefined): { observedGeneration?: number } {
  return generation === undefined ? {} : { observedGeneration: generation };
}

/**
 * Sets the three conditions from what the Deployment shows. Returns whether any changed.
 * Available: enough replicas available. Progressing: the rollout is not complete yet.
 * Degraded: false once the Deployment is in place.
 */
function observe(status: MemcachedStatus, dep: DeploymentObject, size: number, generation: number | undefined): boolean {
  const s = dep.status ?? {};
  const available = s.availableReplicas ?? 0;
  const updated = s.updatedReplicas ?? 0;
  const depObserved = (s.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 1);
  const done = depObserved && available >= size && updated >= size;
  const g = gen(generation);
  let changed = false;
  changed =
    setStatusCondition(status, available >= size
      ? { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: `${available}/${size} replicas available`, ...g }
      : { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: `${available}/${size} replicas available`, ...g }) || changed;
  changed =
    setStatusCondition(status, done
      ? { type: "Progressing", status: "False", reason: "RolloutComplete", message: `Deployment ${dep.metadata?.name} has ${size} updated, available replicas`, ...g }
      : { type: "Progressing", status: "True", reason: "Reconciling", message: `Deployment ${dep.metadata?.name} is rolling out ${size} replicas`, ...g }) || changed;
  changed = setStatusCondition(status, { type: "Degraded", status: "False", reason: "AsExpected", message: "", ...g }) || changed;
  return changed;
}

function drifted(dep: DeploymentObject, desired: DeploymentObject): boolean {
  const c = dep.spec?.template.spec?.containers[0];
  const d = desired.spec?.template.spec?.containers[0];
  return dep.spec?.replicas !== desired.spec?.replicas || c?.image !== d?.image || c?.ports?.[0]?.containerPort !== d?.ports?.[0]?.containerPort;
}

/** The Deployment a Memcached asks for, controlled by it. */
export function deploymentFor(mc: Memcached): DeploymentObject {
  const name = mc.metadata?.name ?? "";
  const labels = { "app.kubernetes.io/name": "memcached", "app.kubernetes.io/instance": name, "app.kubernetes.io/managed-by": "memcached-operator" };
  const dep: DeploymentObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: mc.metadata?.namespace ?? "", labels },
    spec: {
      replicas: mc.spec?.size ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "memcached",
              image: mc.spec?.image ?? DEFAULT_IMAGE,
              imagePullPolicy: "IfNotPresent",
              command: ["memcached", "--memory-limit=64", "-o", "modern", "-v"],
              ports: [{ containerPort: mc.spec?.containerPort ?? DEFAULT_PORT, name: "memcached" }],
              securityContext: { runAsNonRoot: true, runAsUser: 1001, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
  setControllerReference(mc, dep, Memcached);
  return dep;
}
