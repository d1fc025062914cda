/** Consistency checks of a node's tags: bounds, list-map keys, defaults and examples. @module */
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { tagPos, type TagSet } from "./tag-set.js";
import { valueProblem } from "./values.js";

/** Tags that bound a value; a literal union member outside them can never be valid. */
const BOUND_TAGS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern"];

/**
 * Ranges that no value fits, on the node's type with `o` laid over it (bounds of both hold, so the
 * tighter one counts): min > max, exclusive bounds that leave nothing, no multiple of multipleOf in
 * range, an exclusive flag without its bound, literal-union members outside the bounds. Reported at
 * one of `tags` (problems of the type's own tags are reported at the type).
 */
export function checkBounds(set: TagSet, tags: RawTag[], target: JSONSchemaProps, o: JSONSchemaProps, diags: Diagnostics): void {
  const own = (...names: string[]): RawTag | undefined => names.map((n) => tags.find((t) => t.name === n)).find((t) => t !== undefined);
  const report = (names: string[], message: string, hint: string): void => {
    const t = own(...names);
    if (t) diags.error("tag-bounds", message, tagPos(set, t, true), hint);
  };
  const tight = (k: keyof JSONSchemaProps, pick: (a: number, b: number) => number): number | undefined => {
    const a = target[k] as number | undefined;
    const b = o[k] as number | undefined;
    return a === undefined ? b : b === undefined ? a : pick(a, b);
  };
  const never = "no value could ever be valid";
  const pairs: [keyof JSONSchemaProps, keyof JSONSchemaProps][] = [["minimum", "maximum"], ["minLength", "maxLength"], ["minItems", "maxItems"], ["minProperties", "maxProperties"]];
  for (const [lo, hi] of pairs) {
    const a = tight(lo, Math.max);
    const b = tight(hi, Math.min);
    const from = (k: string): string => (own(k) ? "" : " of the type");
    if (a !== undefined && b !== undefined && a > b) report([lo, hi], `@${lo} ${a}${from(lo)} is greater than @${hi} ${b}${from(hi)}`, `${never}; swap or fix the bounds`);
  }
  const s: JSONSchemaProps = { ...target, ...o };
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (o[flag] && s[bound] === undefined) report([flag], `@${flag} without @${bound} bounds nothing`, `add @${bound} <n>, or remove @${flag}`);
  }
  const min = tight("minimum", Math.max);
  const max = tight("maximum", Math.min);
  const isInt = s.type === "integer";
  if (min !== undefined && max !== undefined && min <= max) {
    const lo = isInt ? (s.exclusiveMinimum ? Math.floor(min) + 1 : Math.ceil(min)) : min;
    const hi = isInt ? (s.exclusiveMaximum ? Math.ceil(max) - 1 : Math.floor(max)) : max;
    const empty = isInt ? lo > hi : min === max && (s.exclusiveMinimum || s.exclusiveMaximum);
    const shown = `@minimum ${min}${s.exclusiveMinimum ? " @exclusiveMinimum" : ""} and @maximum ${max}${s.exclusiveMaximum ? " @exclusiveMaximum" : ""}`;
    if (empty) report(["exclusiveMinimum", "exclusiveMaximum", "minimum", "maximum"], `${shown} leave no ${isInt ? "integer" : "value"}`, `${never}; widen the range or drop an exclusive flag`);
    else if (isInt && s.multipleOf !== undefined && Number.isInteger(s.multipleOf) && Math.ceil(lo / s.multipleOf) * s.multipleOf > hi) {
      report(["multipleOf", "minimum", "maximum"], `no multiple of @multipleOf ${s.multipleOf} lies between ${lo} and ${hi}`, `${never}; fix @multipleOf or the bounds`);
    }
  }
  if (s.enum && own(...BOUND_TAGS)) {
    const bare: JSONSchemaProps = { ...s };
    delete bare.enum;
    for (const v of s.enum) {
      const p = valueProblem(v, bare);
      if (p) { report(BOUND_TAGS, `the literal ${JSON.stringify(v)} of the type can never be valid: ${p}`, "remove it from the union or fix the bound"); break; }
    }
  }
}

/** @listType/@listMapKey consistency, as the apiserver requires it. */
export function checkListMap(set: TagSet, tags: RawTag[], target: JSONSchemaProps, o: JSONSchemaProps, diags: Diagnostics): void {
  const listType = o["x-kubernetes-list-type"] ?? target["x-kubernetes-list-type"];
  const keys = o["x-kubernetes-list-map-keys"] ?? target["x-kubernetes-list-map-keys"];
  const items = target.items;
  const keyTag = tags.find((t) => t.name === "listMapKey");
  const typeTag = tags.find((t) => t.name === "listType");
  if (keys && listType !== "map" && keyTag) {
    diags.error("list-map", "@listMapKey needs @listType map", tagPos(set, keyTag), "add @listType map");
    return;
  }
  if (listType === "map" && typeTag) {
    if (!keys?.length) { diags.error("list-map", "@listType map needs at least one @listMapKey", tagPos(set, typeTag), "add @listMapKey <field> naming the key field of the items"); return; }
    if (items?.type !== "object" || !items.properties) { diags.error("list-map", "@listType map needs object items", tagPos(set, typeTag), "use @listType set or atomic for scalar lists"); return; }
    for (const k of keys) {
      const p = items.properties[k];
      const at = tagPos(set, tags.find((t) => t.name === "listMapKey" && t.value === k) ?? typeTag, true);
      if (!p) { const g = didYouMean(k, Object.keys(items.properties)); diags.error("list-map", `@listMapKey ${k} names no field of the list items`, at, g ? `did you mean ${g}?` : `fields: ${Object.keys(items.properties).join(", ")}`); continue; }
      if (!["string", "integer", "number", "boolean"].includes(p.type ?? "")) diags.error("list-map", `@listMapKey ${k} must name a scalar field`, at);
      else if (!items.required?.includes(k) && p.default === undefined) diags.error("list-map", `@listMapKey ${k} must name a required field (or one with a @default)`, at, `remove the ? from ${k} in the item type`);
      if (p.nullable) diags.error("list-map", `@listMapKey ${k} must not be nullable`, at);
    }
  }
  if (listType === "set" && typeTag && items && !["string", "integer", "number", "boolean"].includes(items.type ?? "") && items["x-kubernetes-map-type"] !== "atomic" && !items["x-kubernetes-int-or-string"]) {
    diags.error("list-map", "@listType set needs scalar items (or items with @mapType atomic)", tagPos(set, typeTag), "use @listType map with @listMapKey for lists of objects");
  }
}

/** Checks @default, @example (and their tags' positions) against the final schema of a node. */
export function checkValues(set: TagSet, tags: RawTag[], s: JSONSchemaProps, diags: Diagnostics): void {
  const bare: JSONSchemaProps = { ...s };
  delete bare.default;
  delete bare.example;
  for (const k of ["default", "example"] as const) {
    const t = tags.find((x) => x.name === k);
    if (!t || s[k] === undefined) continue;
    const p = valueProblem(s[k], bare);
    if (p) diags.error("tag-default", `@${k} does not match the field's schema: ${p}`, tagPos(set, t, true), "fix the value or the type");
  }
}
