/** Description trimming for `--max-description-length`, as controller-gen's maxDescLen does it. @module */
import type { JSONSchemaProps } from "./json-schema.js";

/** Cuts `s` to at most `max` bytes: back to a sentence end, else a word boundary + "...". */
export function truncateDescription(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  const cut = Buffer.from(s).subarray(0, max).toString().replace(/\uFFFD$/, "");
  const sentence = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"), cut.endsWith(".") ? cut.length - 1 : -1);
  if (sentence > 0) return cut.slice(0, sentence + 1);
  const space = cut.search(/\s\S*$/);
  if (space > 0) return cut.slice(0, space) + "...";
  return cut + "...";
}

/** Applies the limit to every description in a schema tree (0 removes them all). */
export function limitDescriptions(s: JSONSchemaProps, max: number): void {
  if (s.description !== undefined) {
    if (max === 0) delete s.description;
    else s.description = truncateDescription(s.description, max);
  }
  for (const p of Object.values(s.properties ?? {})) limitDescriptions(p, max);
  if (s.items) limitDescriptions(s.items, max);
  if (s.additionalProperties && typeof s.additionalProperties === "object") limitDescriptions(s.additionalProperties, max);
  for (const k of ["allOf", "anyOf", "oneOf"] as const) for (const x of s[k] ?? []) limitDescriptions(x, max);
}
