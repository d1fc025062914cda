/** Merges a field's own keywords over its type's schema, controller-gen style (conflicts -> allOf). @module */
import type { JSONSchemaProps } from "./json-schema.js";

/** Keys where the field's value simply replaces the type's. */
const FIELD_WINS = new Set<string>(["description", "title", "example", "default", "nullable",
  "x-kubernetes-preserve-unknown-fields", "x-kubernetes-map-type", "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "format", "type"]);

/**
 * Returns `type` with `field` laid over it: description/title/example/default and the x-kubernetes
 * topology keys of the field win; CEL rules are concatenated (field first); any validation keyword
 * both set differently goes into `allOf: [type's, field's]` so both hold.
 */
export function mergeOverlay(type: JSONSchemaProps, field: JSONSchemaProps): JSONSchemaProps {
  const out: JSONSchemaProps = { ...type };
  const fromType: Record<string, unknown> = {};
  const fromField: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(field) as [keyof JSONSchemaProps, unknown][]) {
    if (v === undefined) continue;
    if (k === "x-kubernetes-validations") {
      out[k] = [...(field[k] ?? []), ...(type[k] ?? [])];
      continue;
    }
    const cur = type[k];
    if (cur === undefined || FIELD_WINS.has(k) || JSON.stringify(cur) === JSON.stringify(v)) {
      (out as Record<string, unknown>)[k] = v;
      continue;
    }
    fromType[k] = cur;
    fromField[k] = v;
    delete (out as Record<string, unknown>)[k];
  }
  if (Object.keys(fromField).length) {
    out.allOf = [...(type.allOf ?? []), fromType as JSONSchemaProps, fromField as JSONSchemaProps];
  }
  return out;
}
