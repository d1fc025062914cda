/**
 * tsop/runtime/owner: owner references (controllerutil.SetControllerReference and friends).
 * @module
 */
export { setControllerReference, setOwnerReference, getControllerOf, isControlledBy, OwnerReferenceError } from "./owner.js";
