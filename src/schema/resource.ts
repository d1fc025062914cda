/** Resource-level tags (scope, names, subresources, printer columns, version flags) of a kind's declaration. @module */
import type { Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { emptyResourceTags, type ResourceTags } from "./resource-tags.js";
import { tagContext, tagSpec } from "./tag-table.js";
import { tagPos, type TagSet } from "./tag-set.js";

export type { PrinterColumn, ResourceTags, ScaleSubresource } from "./resource-tags.js";

/** Reads the resource-level tags (as the tag table says); reports malformed ones. */
export function readResourceTags(set: TagSet, tags: RawTag[], diags: Diagnostics): ResourceTags {
  const r = emptyResourceTags();
  for (const t of tags) {
    const spec = tagSpec(t.name);
    if (!spec?.resource) continue;
    r.positions.set(t.name, t);
    const ctx = tagContext(set, t, spec, {}, diags);
    const v = spec.value.parse(t.value, ctx);
    if (v !== undefined) spec.resource(v, r, ctx);
  }
  if (r.selectableFields.length > 8) diags.error("resource-tag", "at most 8 @selectableField tags are allowed", tagPos(set, r.positions.get("selectableField")!));
  return r;
}
