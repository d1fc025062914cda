/**
 * tsop/runtime/reconcile: the reconcile contract — Request, Result, Reconciler, its context, and
 * terminal errors (not retried).
 * @module
 */
export { type Request, type Result, type Reconciler, type ReconcileContext } from "./types.js";
export { TerminalError, terminal, isTerminal } from "./terminal.js";
