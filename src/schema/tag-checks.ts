/** Consistency checks of a node's tags: bounds, list-map keys, defaults and examples. @module */
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { tagPos, type TagSet } from "./tag-set.js";
import { valueProblem } from "./values.js";

/** min > max checks on one overlay. */
export function checkBounds(set: TagSet, tags: RawTag[], o: JSONSchemaProps, diags: Diagnostics): void {
  const pairs: [keyof JSONSchemaProps, keyof JSONSchemaProps][] = [["minimum", "maximum"], ["minLength", "maxLength"], ["minItems", "maxItems"], ["minProperties", "maxProperties"]];
  for (const [lo, hi] of pairs) {
    const a = o[lo] as number | undefined;
    const b = o[hi] as number | undefined;
    if (a === undefined || b === undefined || a <= b) continue;
    const t = tags.find((x) => x.name === lo)!;
    diags.error("tag-bounds", `@${lo} ${a} is greater than @${hi} ${b}`, tagPos(set, t, true), "no value could ever be valid; swap or fix the bounds");
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
