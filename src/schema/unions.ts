/** Pure schema algebra for unions and intersections: enums, int-or-string, discriminated unions. @module */
import { intOrStringSchema } from "./builtins.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { celName } from "./tags.js";

/** Result of combining schemas: a schema, or why it can't be expressed. */
export type Combined = { schema: JSONSchemaProps } | { error: string; hint: string };

const isScalarEnum = (s: JSONSchemaProps): boolean => Array.isArray(s.enum) && (s.type === "string" || s.type === "integer" || s.type === "number" || s.type === "boolean");
const isObject = (s: JSONSchemaProps): boolean => s.type === "object" && !!s.properties;

/** Combines the (non-null) members of a union. `intOrString` allows mixed string/number enums. */
export function unionOf(members: JSONSchemaProps[], intOrString: boolean): Combined {
  if (members.length === 1) return { schema: members[0]! };
  if (members.every(isScalarEnum)) return enumUnion(members, intOrString);
  const kinds = new Set(members.map((m) => (m["x-kubernetes-int-or-string"] ? "int-or-string" : m.type)));
  if ([...kinds].every((k) => k === "string" || k === "integer" || k === "number" || k === "int-or-string") && kinds.has("string") && kinds.size > 1) {
    return { schema: intOrStringSchema() };
  }
  if (members.every((m) => m.type === "boolean")) return { schema: { type: "boolean" } };
  if (members.every(isObject)) return discriminated(members);
  return {
    error: "this union cannot be expressed as a structural schema",
    hint: "use a literal union (\"a\" | \"b\"), number | string (int-or-string), a discriminated union of interfaces, or @schemaless with @preserveUnknownFields",
  };
}

function enumUnion(members: JSONSchemaProps[], intOrString: boolean): Combined {
  const values: unknown[] = [];
  for (const m of members) for (const v of m.enum ?? []) if (!values.some((x) => x === v)) values.push(v);
  const types = new Set(members.map((m) => m.type));
  if (types.size === 1) {
    const t = [...types][0]!;
    if (t === "boolean" && values.length === 2) return { schema: { type: "boolean" } };
    return { schema: { type: t, enum: values } };
  }
  if ([...types].every((t) => t === "integer" || t === "number")) return { schema: { type: "number", enum: values } };
  if (types.has("boolean")) return { error: "a union mixing booleans with other literals cannot be an enum", hint: "use one literal type per field" };
  if (!intOrString) {
    return { error: "a union of string and number literals needs @intOrString", hint: "add @intOrString to the field, or use only string literals" };
  }
  return { schema: { ...intOrStringSchema(), enum: values } };
}

/** One structural object for a union of objects, plus a CEL rule that enforces one branch. */
function discriminated(members: JSONSchemaProps[]): Combined {
  const candidates = Object.keys(members[0]!.properties!).filter((k) =>
    members.every((m) => {
      const p = m.properties?.[k];
      return p?.enum?.length === 1 && m.required?.includes(k);
    }));
  const disc = candidates.find((k) => new Set(members.map((m) => JSON.stringify(m.properties![k]!.enum![0]))).size === members.length);
  if (!disc) {
    return {
      error: "a union of object types needs a discriminator",
      hint: "give every branch a required property with a distinct literal type, e.g. type: \"A\" / type: \"B\"",
    };
  }
  const props: Record<string, JSONSchemaProps> = {};
  for (const m of members) {
    for (const [k, p] of Object.entries(m.properties!)) {
      if (k === disc) continue;
      const prev = props[k];
      if (prev && JSON.stringify(stripDoc(prev)) !== JSON.stringify(stripDoc(p))) {
        return { error: `the union's branches give field "${k}" different types`, hint: "use one type per field name across branches, or rename it" };
      }
      props[k] = prev ?? p;
    }
  }
  props[disc] = { ...members[0]!.properties![disc]!, enum: members.map((m) => m.properties![disc]!.enum![0]) };
  const all = Object.keys(props).filter((k) => k !== disc);
  const required = [disc, ...all.filter((k) => members.every((m) => m.required?.includes(k)))];
  const branches = members.map((m) => {
    const own = Object.keys(m.properties!);
    const must = (m.required ?? []).filter((k) => k !== disc && !required.includes(k)).map((k) => `has(self.${celName(k)})`);
    const mustNot = all.filter((k) => !own.includes(k)).map((k) => `!has(self.${celName(k)})`);
    const parts = [...must, ...mustNot];
    return { value: m.properties![disc]!.enum![0], cond: parts.length ? parts.join(" && ") : "true" };
  });
  let rule = "true";
  for (const b of [...branches].reverse()) rule = `self.${celName(disc)} == ${JSON.stringify(b.value)} ? (${b.cond}) : ${rule === "true" ? rule : `(${rule})`}`;
  const schema: JSONSchemaProps = { type: "object", properties: props, required: required.sort() };
  if (branches.some((b) => b.cond !== "true")) {
    schema["x-kubernetes-validations"] = [{ rule, message: `the fields set must match the branch selected by ${disc}` }];
  }
  return { schema };
}

function stripDoc(s: JSONSchemaProps): JSONSchemaProps {
  const { description: _d, ...rest } = s;
  return rest;
}

/** Merges the object members of an intersection. */
export function intersectionOf(members: JSONSchemaProps[]): Combined {
  if (!members.every((m) => m.type === "object")) {
    return { error: "only object types can be intersected", hint: "intersect interfaces or object literal types" };
  }
  const out: JSONSchemaProps = { type: "object" };
  for (const m of members) {
    for (const [k, p] of Object.entries(m.properties ?? {})) {
      const prev = out.properties?.[k];
      if (prev && JSON.stringify(stripDoc(prev)) !== JSON.stringify(stripDoc(p))) {
        return { error: `the intersection gives field "${k}" two different types`, hint: "declare the field once" };
      }
      (out.properties ??= {})[k] = prev ?? p;
    }
    for (const r of m.required ?? []) if (!out.required?.includes(r)) (out.required ??= []).push(r);
    if (m["x-kubernetes-validations"]) out["x-kubernetes-validations"] = [...(out["x-kubernetes-validations"] ?? []), ...m["x-kubernetes-validations"]];
    if (m.additionalProperties !== undefined) out.additionalProperties = m.additionalProperties;
  }
  out.required?.sort();
  return { schema: out };
}
