/**
 * The reconcile contract: what a reconciler is asked (Request) and answers (Result).
 * @module
 */
import type { Logger } from "../log/types.js";

/** A reconcile request: which object to bring to its desired state. */
export interface Request {
  /** Empty or undefined for cluster-scoped objects. */
  namespace?: string;
  /** The object's name. */
  name: string;
}

/** What a reconcile asks of the queue next. `requeueAfter` is in milliseconds. */
export interface Result {
  /** Reconcile the same request again, with the queue's per-item backoff. */
  requeue?: boolean;
  /** Reconcile the same request again after this many milliseconds. */
  requeueAfter?: number;
  /**
   * Priority of the requeue (also after a thrown error); higher is sooner, `LOW_PRIORITY` (−100)
   * is the initial list's. Default: the priority the request had when it was handed out.
   */
  priority?: number;
}

/** Per-reconcile context handed to the reconciler. */
export interface ReconcileContext {
  /** Aborted when the manager shuts down past its grace period, or when the controller's `reconcileTimeoutMs` passes. */
  signal: AbortSignal;
  /** Structured logger bound to controller, object key and reconcile id. */
  log: Logger;
  /** A unique id of this reconcile, for log correlation. */
  reconcileID: string;
}

/** A reconciler: level-triggered, reads current state itself. */
export interface Reconciler {
  /** Brings the object named by `req` to its desired state; a thrown error is retried with backoff. */
  reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void>;
}
