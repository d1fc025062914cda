/**
 * Numbers written in API files (bounds, defaults, examples, literal types) that the CRD could not
 * carry as written: digits a JavaScript number (an IEEE double) cannot hold, and integers outside
 * the field's Go type (int32, int64).
 * @module
 */
import type { JSONSchemaProps } from "./json-schema.js";

/** Sign, significant digits and exponent of a decimal text, so that two texts compare as exact values. */
function decimalKey(text: string): string | undefined {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === "" && !m[3])) return undefined;
  const digits = (m[2] ?? "") + (m[3] ?? "");
  let exp = (m[2] ?? "").length + Number(m[4] ?? 0);
  const lead = digits.length - digits.replace(/^0+/, "").length;
  const sig = digits.slice(lead).replace(/0+$/, "");
  if (sig === "") return "0";
  exp -= lead;
  return `${m[1] === "-" ? "-" : ""}0.${sig}e${exp}`;
}

/**
 * Why the number written as `text` does not survive as the JavaScript number `n` (which the CRD is
 * written from), or undefined when it does: `9007199254740993` becomes 9007199254740992.
 */
export function precisionProblem(text: string, n: number): string | undefined {
  const t = text.trim();
  if (!Number.isFinite(n)) return `${t} is not a finite number`;
  if (/^[-+]?0[xXoObB]/.test(t)) {
    const neg = t.startsWith("-");
    const big = BigInt(t.replace(/^[-+]/, ""));
    return Number.isInteger(n) && BigInt(n) === (neg ? -big : big) ? undefined : lost(t, n);
  }
  const a = decimalKey(t);
  if (a === undefined || a === decimalKey(String(n))) return undefined;
  return lost(t, n);
}

function lost(text: string, n: number): string {
  return `${text} cannot be held exactly by a JavaScript number (it would be written as ${written(n)})`;
}

/** The hint for a number that loses precision. */
export const PRECISION_HINT = "use at most 15 significant digits or an integer up to 9007199254740991, or make the field a string with @pattern";

/** The range of integers a schema node's Go type holds: int32 for format int32 and int-or-string, else int64. */
export function integerRange(s: JSONSchemaProps): { name: string; min: number; max: number } | undefined {
  if (s["x-kubernetes-int-or-string"]) return { name: "int-or-string (int32)", min: -2147483648, max: 2147483647 };
  if (s.type !== "integer") return undefined;
  if (s.format === "int32") return { name: "int32", min: -2147483648, max: 2147483647 };
  return { name: "int64", min: -9223372036854775808, max: 9223372036854775807 };
}

/**
 * Why integer `n` (shown as `shown`) does not fit the Go type of `s`, or undefined. (int64's max
 * rounds to 2^63, itself out of range.)
 */
export function rangeProblem(n: number, s: JSONSchemaProps, shown = fmt(n)): string | undefined {
  const r = integerRange(s);
  if (!r) return undefined;
  const over = r.max < 2 ** 53 ? n > r.max : n >= 2 ** 63;
  if (!over && n >= r.min) return undefined;
  return `${shown} is out of the ${r.name} range (${fmt(r.min)} to ${r.max < 2 ** 53 ? fmt(r.max) : "9223372036854775807"})`;
}

/** A number as the CRD's YAML writes it (the shortest text that reads back as the same double). */
function written(n: number): string {
  const s = String(n);
  return /e/.test(s) ? fmt(n) : s;
}

/** A number as it would be written, without exponent for integers (1e20 → 100000000000000000000). */
function fmt(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
}
