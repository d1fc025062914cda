/** Validates a literal value (a @default, @example or enum member) against a schema. @module */
import { RE2JS } from "re2js";
import type { JSONSchemaProps } from "./json-schema.js";
import { rangeProblem } from "./numbers.js";

/** The first reason `value` does not match `s`, or undefined when it matches. */
export function valueProblem(value: unknown, s: JSONSchemaProps, path = ""): string | undefined {
  const at = path ? ` at ${path}` : "";
  if (value === null) return s.nullable ? undefined : `null is not allowed${at} (the field is not nullable)`;
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.type) return undefined;
  if (s["x-kubernetes-int-or-string"]) {
    if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value))) return `expected an integer or a string${at}, got ${show(value)}`;
  } else {
    const t = s.type;
    const ok = t === undefined
      || (t === "string" && typeof value === "string")
      || (t === "boolean" && typeof value === "boolean")
      || (t === "integer" && typeof value === "number" && Number.isInteger(value))
      || (t === "number" && typeof value === "number")
      || (t === "array" && Array.isArray(value))
      || (t === "object" && typeof value === "object" && !Array.isArray(value));
    if (!ok) return `expected ${t === "array" || t === "object" || t === "integer" ? "an" : "a"} ${t}${at}, got ${show(value)}`;
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return `${show(value)}${at} is not one of ${s.enum.map(show).join(", ")}`;
  if (typeof value === "number") {
    const out = Number.isInteger(value) ? rangeProblem(value, s, `${value}${at}`) : undefined;
    if (out) return out;
    if (s.minimum !== undefined && (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum)) return `${value}${at} is below the minimum ${s.minimum}`;
    if (s.maximum !== undefined && (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum)) return `${value}${at} is above the maximum ${s.maximum}`;
    if (s.multipleOf !== undefined && Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9) return `${value}${at} is not a multiple of ${s.multipleOf}`;
  }
  if (typeof value === "string") {
    const len = [...value].length;
    if (s.minLength !== undefined && len < s.minLength) return `${show(value)}${at} is shorter than ${s.minLength}`;
    if (s.maxLength !== undefined && len > s.maxLength) return `${show(value)}${at} is longer than ${s.maxLength}`;
    if (s.pattern) {
      try { if (!RE2JS.compile(s.pattern).matcher(value).find()) return `${show(value)}${at} does not match the pattern ${s.pattern}`; } catch { /* reported elsewhere */ }
    }
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return `${value.length} items${at}, fewer than ${s.minItems}`;
    if (s.maxItems !== undefined && value.length > s.maxItems) return `${value.length} items${at}, more than ${s.maxItems}`;
    if (s.items) for (let i = 0; i < value.length; i++) { const p = valueProblem(value[i], s.items, `${path}[${i}]`); if (p) return p; }
  } else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (s.minProperties !== undefined && keys.length < s.minProperties) return `${keys.length} properties${at}, fewer than ${s.minProperties}`;
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) return `${keys.length} properties${at}, more than ${s.maxProperties}`;
    for (const r of s.required ?? []) if (!(r in obj) && s.properties?.[r]?.default === undefined) return `missing required field ${path ? path + "." : ""}${r}`;
    for (const k of keys) {
      const ps = s.properties?.[k] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : undefined);
      if (!ps) {
        if (s.properties && !s["x-kubernetes-preserve-unknown-fields"]) return `unknown field ${path ? path + "." : ""}${k} (it would be pruned)`;
        continue;
      }
      const p = valueProblem(obj[k], ps, path ? `${path}.${k}` : k);
      if (p) return p;
    }
  }
  for (const sub of s.allOf ?? []) { const p = valueProblem(value, { ...sub, type: undefined }, path); if (p) return p; }
  return undefined;
}

/** Why a pattern is not valid RE2 (as the apiserver reads it), or undefined. */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^error parsing regexp: /, "");
  }
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
