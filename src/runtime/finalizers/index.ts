/**
 * tsop/runtime/finalizers: adding and removing finalizers, in memory or written through the client.
 * @module
 */
export { hasFinalizer, addFinalizer, removeFinalizer, ensureFinalizer, removeFinalizerAndUpdate, type FinalizerPatchOptions } from "./finalizers.js";
