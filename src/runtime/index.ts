/**
 * tsop/runtime: the names a newcomer needs to write an operator — the manager, the reconcile
 * contract, the client, error helpers, predicates, conditions, finalizers, owner references and
 * events. Built-in kinds come from `tsop/runtime/kinds`; the machinery (work queue, rate limiters,
 * informers, REST client, controller builder, leader election...) from the other subpaths, one per
 * folder of src/runtime. test/runtime/entry-points.test.ts pins this list: adding a name is a decision.
 * @module
 */
export { Manager, type ManagerOptions, parseManagerFlags, exitOnFatalError, UserError } from "./manager/index.js";
export { type Request, type Result, type Reconciler, type ReconcileContext, TerminalError, terminal } from "./reconcile/index.js";
export { type Client, ApiError, isNotFound, isConflict, isAlreadyExists, ignoreNotFound } from "./client/index.js";
export { type Predicate, generationChanged } from "./controller/index.js";
export { setStatusCondition, findStatusCondition, isStatusConditionTrue } from "./conditions/index.js";
export { hasFinalizer, ensureFinalizer, removeFinalizerAndUpdate } from "./finalizers/index.js";
export { setControllerReference } from "./owner/index.js";
export { EventRecorder } from "./events/index.js";
export { type Logger, createLogger } from "./log/index.js";
export { defineWebhook, FieldError, type Webhook, type ConversionHooks } from "./webhook/index.js";
