/** Pure pieces of the schema engine: doc parsing, tag values, unions, value checks, descriptions, CEL. */
import { describe, expect, test } from "vitest";
import { parseJsDoc } from "../../src/schema/jsdoc.js";
import { parseArgs, parseFlowValue, parseNumber, parseFieldList } from "../../src/schema/tag-values.js";
import { unionOf, intersectionOf } from "../../src/schema/unions.js";
import { valueProblem, re2Problem } from "../../src/schema/values.js";
import { truncateDescription } from "../../src/schema/descriptions.js";
import { celName, oneOfRule } from "../../src/schema/tags.js";
import { checkRule } from "../../src/schema/cel.js";
import { mergeOverlay } from "../../src/schema/merge.js";
import { didYouMean } from "../../src/schema/diagnostics.js";

describe("parseJsDoc", () => {
  test("description lines, TODO dropped, --- cuts, tags with offsets", () => {
    const text = "/**\n * First line.\n * TODO: hidden\n * Second line.\n * ---\n * internal\n * @minimum 1\n * @pattern ^a@b$\n */";
    const d = parseJsDoc(text, 100);
    expect(d.description).toBe("First line.\nSecond line.");
    expect(d.tags.map((t) => [t.name, t.value])).toEqual([["minimum", "1"], ["pattern", "^a@b$"]]);
    expect(text.slice(d.tags[0]!.pos - 100, d.tags[0]!.pos - 100 + 8)).toBe("@minimum");
    expect(text[d.tags[1]!.valuePos - 100]).toBe("^");
  });
  test("one-line comments with several tags; quoted @ stays in the value", () => {
    const d = parseJsDoc('/** Size. @minimum 1 @validation rule="self != \'@x\'" message="no @x" */', 0);
    expect(d.description).toBe("Size.");
    expect(d.tags.map((t) => [t.name, t.value])).toEqual([["minimum", "1"], ["validation", "rule=\"self != '@x'\" message=\"no @x\""]]);
  });
});

describe("tag values", () => {
  test("args, flow values, numbers, field lists", () => {
    expect(Object.fromEntries(parseArgs('rule="a == \\"b\\"" reason=FieldValueInvalid optionalOldSelf').args)).toEqual({ rule: 'a == "b"', reason: "FieldValueInvalid", optionalOldSelf: true });
    expect(parseArgs('rule="open').error).toContain("unterminated");
    expect(parseFlowValue("[a, b]").value).toEqual(["a", "b"]);
    expect(parseFlowValue("{}").value).toEqual({});
    expect(parseFlowValue("100Mi").value).toBe("100Mi");
    expect(parseFlowValue("[a,").error).toBeDefined();
    expect(parseNumber("1.5", true)).toBeUndefined();
    expect(parseNumber("-3", false)).toBe(-3);
    expect(parseFieldList('a;"b-c", d')).toEqual(["a", "b-c", "d"]);
  });
});

describe("unions", () => {
  test("literal unions become enums in source order", () => {
    expect(unionOf([{ type: "string", enum: ["b"] }, { type: "string", enum: ["a"] }], false)).toEqual({ schema: { type: "string", enum: ["b", "a"] } });
    expect(unionOf([{ type: "integer", enum: [1] }, { type: "integer", enum: [2] }], false)).toEqual({ schema: { type: "integer", enum: [1, 2] } });
    expect(unionOf([{ type: "boolean", enum: [true] }, { type: "boolean", enum: [false] }], false)).toEqual({ schema: { type: "boolean" } });
    expect("error" in unionOf([{ type: "string", enum: ["a"] }, { type: "integer", enum: [1] }], false)).toBe(true);
    expect(unionOf([{ type: "number" }, { type: "string" }], false)).toEqual({ schema: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true } });
  });
  test("intersections merge properties and required", () => {
    expect(intersectionOf([{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { type: "object", properties: { b: { type: "string" } } }])).toEqual({ schema: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, required: ["a"] } });
  });
});

describe("merge", () => {
  test("conflicting bounds go to allOf, CEL rules concatenate field-first, field doc wins", () => {
    const m = mergeOverlay({ type: "string", maxLength: 255, description: "type", "x-kubernetes-validations": [{ rule: "t" }] }, { maxLength: 10, description: "field", "x-kubernetes-validations": [{ rule: "f" }] });
    expect(m).toEqual({ type: "string", description: "field", allOf: [{ maxLength: 255 }, { maxLength: 10 }], "x-kubernetes-validations": [{ rule: "f" }, { rule: "t" }] });
  });
});

describe("values", () => {
  test("defaults checked against types, enums, bounds, patterns, nested objects", () => {
    expect(valueProblem(3, { type: "integer", maximum: 5 })).toBeUndefined();
    expect(valueProblem(6, { type: "integer", maximum: 5 })).toBe("6 is above the maximum 5");
    expect(valueProblem("ab", { type: "string", pattern: "^[a-z]$" })).toContain("does not match");
    expect(valueProblem({ a: 1 }, { type: "object", properties: { b: { type: "string" } } })).toBe("unknown field a (it would be pruned)");
    expect(valueProblem(["x", 1], { type: "array", items: { type: "string" } })).toBe("expected a string at [1], got 1");
    expect(valueProblem(null, { type: "string" })).toContain("not nullable");
  });
  test("RE2 accepts POSIX classes, refuses look-around and back-references", () => {
    expect(re2Problem("[[:punct:]]+")).toBeUndefined();
    expect(re2Problem("(?<=a)b")).toBeDefined();
    expect(re2Problem("(a)\\1")).toBeDefined();
  });
});

describe("descriptions and names", () => {
  test("truncation prefers sentence ends, then words", () => {
    expect(truncateDescription("One. Two three four.", 12)).toBe("One.");
    expect(truncateDescription("alpha beta gamma", 12)).toBe("alpha beta...");
    expect(truncateDescription("short", 10)).toBe("short");
  });
  test("CEL escaping and one-of rules", () => {
    expect(celName("x-foo")).toBe("x__dash__foo");
    expect(celName("namespace")).toBe("__namespace__");
    expect(celName("a.b/c__d")).toBe("a__dot__b__slash__c__underscores__d");
    expect(oneOfRule("atLeastOneOf", ["a", "in"])).toEqual({ rule: "has(self.a)||has(self.__in__)", message: "at least one of the fields in [a in] must be set" });
  });
  test("CEL rules: fields resolved through lists and escaped names", () => {
    const s = { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { "max-size": { type: "integer" } } } } } };
    expect(checkRule({ rule: "self.items.all(i, i.max__dash__size > 0)" }, s)).toEqual([]);
    expect(checkRule({ rule: "self.items.all(i, i.maxSize > 0)" }, s)[0]?.message).toContain("maxSize");
    expect(didYouMean("maxLenght", ["maxLength", "minLength"])).toBe("maxLength");
  });
});

describe("tsop/types stub", () => {
  test("every name tsop/types exports has a schema (or is a runtime helper)", async () => {
    const { readFileSync } = await import("node:fs");
    const { CORE_TYPE_NAMES } = await import("../../src/schema/core-schemas.js");
    const { builtinSchema } = await import("../../src/schema/builtins.js");
    const index = readFileSync(new URL("../../src/types/index.ts", import.meta.url), "utf8");
    const names = [...index.matchAll(/export (?:interface|function|type) (\w+)/g)].map((m) => m[1]!);
    for (const block of index.matchAll(/export type \{([^}]*)\}/g)) names.push(...block[1]!.split(",").map((s) => s.trim()).filter(Boolean));
    const helpers = ["KubeObject", "KindDescriptor", "defineKind"];
    for (const n of names) {
      if (helpers.includes(n)) continue;
      expect(builtinSchema(n) ?? CORE_TYPE_NAMES.includes(n), n).toBeTruthy();
    }
    expect(names.length).toBeGreaterThan(50);
  });
});
