import { describe, expect, it } from "vitest";
import { findStatusCondition, isStatusConditionFalse, isStatusConditionTrue, removeStatusCondition, setStatusCondition, type HasConditions } from "../../src/runtime/conditions/conditions.js";

const t0 = new Date("2026-01-01T00:00:00.123Z");
const t1 = new Date("2026-01-01T00:05:00Z");

describe("status conditions", () => {
  it("adds a condition with lastTransitionTime now (second precision)", () => {
    const s: HasConditions = {};
    expect(setStatusCondition(s, { type: "Available", status: "True", reason: "Ok", message: "up" }, t0)).toBe(true);
    expect(s.conditions).toEqual([{ type: "Available", status: "True", reason: "Ok", message: "up", lastTransitionTime: "2026-01-01T00:00:00Z" }]);
  });

  it("reports no change and keeps the array when nothing differs", () => {
    const s: HasConditions = {};
    setStatusCondition(s, { type: "A", status: "True", reason: "R", observedGeneration: 1 }, t0);
    const before = s.conditions;
    expect(setStatusCondition(s, { type: "A", status: "True", reason: "R", observedGeneration: 1 }, t1)).toBe(false);
    expect(s.conditions).toBe(before);
  });

  it("moves lastTransitionTime only when the status changes", () => {
    const s: HasConditions = {};
    setStatusCondition(s, { type: "A", status: "True", reason: "R" }, t0);
    expect(setStatusCondition(s, { type: "A", status: "True", reason: "Other", message: "m", observedGeneration: 2 }, t1)).toBe(true);
    expect(findStatusCondition(s.conditions, "A")).toMatchObject({ reason: "Other", message: "m", observedGeneration: 2, lastTransitionTime: "2026-01-01T00:00:00Z" });
    expect(setStatusCondition(s, { type: "A", status: "False", reason: "Other", message: "m", observedGeneration: 2 }, t1)).toBe(true);
    expect(findStatusCondition(s.conditions, "A")?.lastTransitionTime).toBe("2026-01-01T00:05:00Z");
    expect(isStatusConditionFalse(s.conditions, "A")).toBe(true);
    expect(isStatusConditionTrue(s.conditions, "A")).toBe(false);
  });

  it("never mutates the previous (possibly frozen) array or elements", () => {
    const frozen = Object.freeze([Object.freeze({ type: "A", status: "True" as const, reason: "R", message: "", lastTransitionTime: "x" })]);
    const s: HasConditions = { conditions: frozen as unknown as HasConditions["conditions"] };
    expect(setStatusCondition(s, { type: "A", status: "False", reason: "R" }, t1)).toBe(true);
    expect(setStatusCondition(s, { type: "B", status: "True", reason: "R" }, t1)).toBe(true);
    expect(frozen[0]?.status).toBe("True");
    expect(s.conditions?.map((c) => c.type)).toEqual(["A", "B"]);
  });

  it("removes conditions and reports whether one was there", () => {
    const s: HasConditions = {};
    setStatusCondition(s, { type: "A", status: "True", reason: "R" }, t0);
    expect(removeStatusCondition(s, "B")).toBe(false);
    expect(removeStatusCondition(s, "A")).toBe(true);
    expect(s.conditions).toEqual([]);
    expect(findStatusCondition(undefined, "A")).toBeUndefined();
  });
});
