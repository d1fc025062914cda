/**
 * tsop/runtime/conditions: status conditions with apimachinery's semantics (meta.SetStatusCondition).
 * @module
 */
export { setStatusCondition, removeStatusCondition, findStatusCondition, isStatusConditionTrue, isStatusConditionFalse, isStatusConditionPresentAndEqual, type ConditionInput } from "./conditions.js";
