/**
 * Status conditions with apimachinery's semantics (meta.SetStatusCondition and friends):
 * `lastTransitionTime` moves only when `status` changes; setters report whether anything changed,
 * so a reconciler can skip a status write that would change nothing.
 * @module
 */
import type { Condition } from "../../types/index.js";

/** A condition to set; `lastTransitionTime` defaults to now when the status changes. */
export type ConditionInput = Omit<Condition, "lastTransitionTime" | "message"> & { lastTransitionTime?: string; message?: string };

/** Anything holding conditions, typically an object's `status`. */
export interface HasConditions {
  conditions?: Condition[];
}

/** An RFC 3339 timestamp with second precision, as metav1.Time serializes. */
export function rfc3339(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Sets `cond` in `target.conditions` (added if its type is missing). `lastTransitionTime` changes only
 * when the status changes; reason, message and observedGeneration are updated in place.
 * Copy-on-write: `target.conditions` is replaced by a new array and the old array and its elements
 * are never mutated (they may be frozen cache objects); `target` itself must be writable.
 * @returns whether anything changed.
 */
export function setStatusCondition(target: HasConditions, cond: ConditionInput, now: Date = new Date()): boolean {
  const list = target.conditions ?? [];
  const i = list.findIndex((c) => c.type === cond.type);
  const message = cond.message ?? "";
  const old = i < 0 ? undefined : list[i];
  if (!old) {
    const added: Condition = { ...withoutUndefined(cond), message, lastTransitionTime: cond.lastTransitionTime ?? rfc3339(now) };
    target.conditions = [...list, added];
    return true;
  }
  const statusChanged = old.status !== cond.status;
  if (!statusChanged && old.reason === cond.reason && old.message === message && old.observedGeneration === cond.observedGeneration) return false;
  const next: Condition = {
    ...old,
    status: cond.status,
    reason: cond.reason,
    message,
    lastTransitionTime: statusChanged ? (cond.lastTransitionTime ?? rfc3339(now)) : old.lastTransitionTime,
  };
  if (cond.observedGeneration === undefined) delete next.observedGeneration;
  else next.observedGeneration = cond.observedGeneration;
  const copy = list.slice();
  copy[i] = next;
  target.conditions = copy;
  return true;
}

function withoutUndefined(c: ConditionInput): Omit<Condition, "lastTransitionTime" | "message"> {
  const out: Omit<Condition, "lastTransitionTime" | "message"> = { type: c.type, status: c.status, reason: c.reason };
  if (c.observedGeneration !== undefined) out.observedGeneration = c.observedGeneration;
  return out;
}

/**
 * Removes the condition of `type` (copy-on-write, like {@link setStatusCondition}).
 * @returns whether it was there.
 */
export function removeStatusCondition(target: HasConditions, type: string): boolean {
  const list = target.conditions ?? [];
  if (!list.some((c) => c.type === type)) return false;
  target.conditions = list.filter((c) => c.type !== type);
  return true;
}

/** The condition of `type`, if present. */
export function findStatusCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True when the condition of `type` is present with status `True`. */
export function isStatusConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === "True";
}

/** True when the condition of `type` is present with status `False`. */
export function isStatusConditionFalse(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === "False";
}

/** True when the condition of `type` is present with `status`. */
export function isStatusConditionPresentAndEqual(conditions: readonly Condition[] | undefined, type: string, status: Condition["status"]): boolean {
  return findStatusCondition(conditions, type)?.status === status;
}
