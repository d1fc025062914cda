/** Numbers that do not survive as written, and integers outside a field's Go type. */
import { describe, expect, test } from "vitest";
import { integerRange, precisionProblem, rangeProblem } from "../../src/schema/numbers.js";
import { parseFlowValue } from "../../src/schema/tag-values.js";

describe("precisionProblem", () => {
  test.each(["0", "-0", "1", "0.1", "1.5e3", "1e20", "1E+21", "9007199254740991", "-9007199254740991", "9007199254740992", "0x1F", "0.30000000000000004", "+3", ".5", "5."])("%s survives", (text) => {
    expect(precisionProblem(text, Number(text.replace(/^\+/, "")))).toBeUndefined();
  });
  test.each([
    ["9007199254740993", "9007199254740992"],
    ["-9007199254740993", "-9007199254740992"],
    ["12345678901234567890", "12345678901234567000"],
    ["1152921504606846976", "1152921504606847000"],
    ["1.00000000000000000001", "1"],
    ["9223372036854775807", "9223372036854776000"],
  ])("%s would be written as %s", (text, written) => {
    expect(precisionProblem(text, Number(text))).toBe(`${text} cannot be held exactly by a JavaScript number (it would be written as ${written})`);
  });
  test("infinite values are refused", () => {
    expect(precisionProblem("1e400", Infinity)).toBe("1e400 is not a finite number");
  });
});

describe("rangeProblem", () => {
  test("int32, int64 and int-or-string ranges", () => {
    const int32 = { type: "integer", format: "int32" } as const;
    const int64 = { type: "integer", format: "int64" } as const;
    expect(rangeProblem(2147483647, int32)).toBeUndefined();
    expect(rangeProblem(-2147483648, int32)).toBeUndefined();
    expect(rangeProblem(2147483648, int32)).toBe("2147483648 is out of the int32 range (-2147483648 to 2147483647)");
    expect(rangeProblem(1e20, int32, "1e20")).toBe("1e20 is out of the int32 range (-2147483648 to 2147483647)");
    expect(rangeProblem(2 ** 62, int64)).toBeUndefined();
    expect(rangeProblem(2 ** 63, int64)).toBe("9223372036854775808 is out of the int64 range (-9223372036854775808 to 9223372036854775807)");
    expect(rangeProblem(-(2 ** 63), { type: "integer" })).toBeUndefined();
    expect(rangeProblem(3e9, { "x-kubernetes-int-or-string": true })).toMatch(/out of the int-or-string \(int32\) range/);
    expect(integerRange({ type: "number" })).toBeUndefined();
    expect(rangeProblem(1e300, { type: "number" })).toBeUndefined();
  });
});

describe("parseFlowValue", () => {
  test("refuses numbers anywhere in the value that would change, keeps the rest", () => {
    expect(parseFlowValue("[1, {a: 9007199254740993}]").error).toBe("9007199254740993 cannot be held exactly by a JavaScript number (it would be written as 9007199254740992)");
    expect(parseFlowValue('{a: "9007199254740993", b: 0.1}')).toEqual({ value: { a: "9007199254740993", b: 0.1 } });
    expect(parseFlowValue("1e400").error).toBe("1e400 is not a finite number");
  });
});
