// The operator-sdk Memcached tutorial's reconcile, written with tsop, for bench/runtime/compare.ts
// (its controller-runtime twin is `tutorialReconcile` in peer-go/main.go). Four writes per new
// Memcached, all full-object updates as in the tutorial: status Available=Unknown, the finalizer,
// the Deployment create (then requeueAfter 1 min), and status Available=True on the reconcile the
// Deployment's creation triggers. Reads come from the cache, so a stale read costs a 409.
import { hasFinalizer, ignoreNotFound, setStatusCondition, type Client, type Manager, type ReconcileContext, type Reconciler, type Request, type Result } from "tsop/runtime";
import { addFinalizer } from "tsop/runtime/finalizers";
import { Deployment } from "tsop/runtime/kinds";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { MEMCACHED_FINALIZER, deploymentFor } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";

export class TutorialReconciler implements Reconciler {
  private client!: Client;

  setupWithManager(mgr: Manager): void {
    this.client = mgr.client;
    mgr.controller("memcached").for(Memcached).owns(Deployment).complete(this);
  }

  async reconcile(req: Request, _ctx: ReconcileContext): Promise<Result> {
    const ns = { namespace: req.namespace ?? "" };
    const got = await this.client.get(Memcached, req.name, ns).catch(ignoreNotFound);
    if (!got) return {};
    let mc = structuredClone(got);
    if (!mc.status?.conditions?.length) {
      mc.status = { ...mc.status };
      setStatusCondition(mc.status, { type: "Available", status: "Unknown", reason: "Reconciling", message: "Starting reconciliation" });
      await this.client.updateStatus(Memcached, mc);
      // The tutorial re-fetches (from the cache) after the status update.
      const again = await this.client.get(Memcached, req.name, ns).catch(ignoreNotFound);
      if (!again) return {};
      mc = structuredClone(again);
    }
    if (!hasFinalizer(mc, MEMCACHED_FINALIZER)) {
      addFinalizer(mc, MEMCACHED_FINALIZER);
      mc = await this.client.update(Memcached, mc);
    }
    if (mc.metadata?.deletionTimestamp) return {};
    const found = await this.client.get(Deployment, req.name, ns).catch(ignoreNotFound);
    if (!found) {
      await this.client.create(Deployment, deploymentFor(mc));
      return { requeueAfter: 60_000 };
    }
    const size = mc.spec?.size ?? 1;
    if (found.spec?.replicas !== size) {
      const dep = structuredClone(found);
      if (dep.spec) dep.spec.replicas = size;
      await this.client.update(Deployment, dep);
      return { requeue: true };
    }
    mc = structuredClone(mc);
    mc.status = { ...mc.status };
    setStatusCondition(mc.status, { type: "Available", status: "True", reason: "Reconciling", message: `Deployment for custom resource (${req.name}) with ${size} replicas created successfully` });
    await this.client.updateStatus(Memcached, mc);
    return {};
  }
}
