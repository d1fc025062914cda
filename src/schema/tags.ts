/** Checks a declaration's tags against the tag table and turns schema tags into schema keywords. @module */
import type { JSONSchemaProps } from "./json-schema.js";
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { tagPos, type TagSet } from "./tag-set.js";
import { checkBounds, checkListMap } from "./tag-checks.js";
import { DOC_TAGS, REFUSED, repeatableAt, tagContext, tagsAllowedAt, tagSpec, type Emission, type TagWhere, type TargetKind } from "./tag-table.js";

export { tagPos, type TagSet } from "./tag-set.js";
export { celName, oneOfRule } from "./rules.js";
export { checkValues } from "./tag-checks.js";

/** Where a set of tags sits. */
export type TagSite = "field" | "type" | "resource";

/** Names of the tags allowed on an array field's items as `@items:<tag>` (controller-gen's `items:` markers). */
export const ITEM_TAGS: readonly string[] = tagsAllowedAt("items");

const PLACE: Record<TagWhere, string> = { field: "a field", type: "a type", resource: "the resource's interface", items: "an array's items", controller: "a controller class", webhook: "a webhook's hooks object" };

/** Reports unknown, misplaced, refused and duplicated tags; returns only the usable ones. */
export function checkTagNames(set: TagSet, site: TagSite, diags: Diagnostics): RawTag[] {
  const known = tagsAllowedAt(site);
  const seen = new Set<string>();
  return set.tags.filter((t) => {
    const inner = t.name.startsWith("items:") ? t.name.slice(6) : undefined;
    const spec = tagSpec(inner ?? t.name);
    if (spec?.repeatable !== true && spec?.repeatable !== "per-kind" && (inner !== undefined || known.includes(t.name))) {
      if (seen.has(t.name)) {
        const rep = repeatableAt("field").concat(repeatableAt("resource").filter((n) => !repeatableAt("field").includes(n)));
        diags.error("duplicate-tag", `@${t.name} is given twice`, tagPos(set, t), `keep one; only ${rep.slice(0, -1).map((n) => "@" + n).join(", ")} and @${rep[rep.length - 1]} repeat`);
        return false;
      }
      seen.add(t.name);
    }
    if (DOC_TAGS.includes(t.name)) return false;
    if (known.includes(t.name)) return true;
    const at = tagPos(set, t);
    if (inner !== undefined) {
      if (site === "field" && ITEM_TAGS.includes(inner)) return true;
      const g = didYouMean(inner, ITEM_TAGS);
      diags.error("unknown-tag", site === "field" ? `@items:${inner} is not an item tag` : `@${t.name} belongs on an array field`, at, site === "field" ? (g ? `did you mean @items:${g}?` : `item tags: ${ITEM_TAGS.join(" ")}`) : "or put the tag on the element type's declaration");
      return false;
    }
    if (spec) {
      if (spec.where.length === 1 && spec.where[0] === "resource") diags.error("misplaced-tag", `@${t.name} is a resource-level tag`, at, "put it on the resource's interface (the one named after the kind)");
      else diags.error("misplaced-tag", `@${t.name} belongs on ${PLACE[spec.where[0]!]}, not on ${PLACE[site]}`, at, spec.misplacedHint ?? `move it to ${PLACE[spec.where[0]!]}`);
      return false;
    }
    const refused = REFUSED[t.name];
    if (refused) {
      diags.error("unsupported-tag", `@${t.name} is not supported`, at, refused);
      return false;
    }
    const guess = didYouMean(t.name, known);
    diags.error("unknown-tag", `unknown tag @${t.name}`, at, guess ? `did you mean @${guess}?` : `known tags: ${known.map((k) => "@" + k).join(" ")}`);
    return false;
  });
}

/** Flags that steer conversion rather than emit keywords. */
export interface TagFlags {
  optional?: RawTag;
  required?: RawTag;
  schemaless?: RawTag;
  intOrString?: RawTag;
  preserveUnknownFields?: RawTag;
}

/** Reads the conversion flags from checked tags. */
export function tagFlags(tags: RawTag[]): TagFlags {
  const f: TagFlags = {};
  for (const t of tags) {
    if (t.name === "optional" || t.name === "required" || t.name === "schemaless" || t.name === "intOrString" || t.name === "preserveUnknownFields") f[t.name] = t;
  }
  return f;
}

/**
 * Builds the keywords that `tags` add on top of `target` (the schema of the node's type), reporting
 * tags whose value or target is wrong. The result is an overlay to merge with `target`.
 * Each tag is parsed and emitted as its entry in the tag table says.
 */
export function tagOverlay(set: TagSet, tags: RawTag[], target: JSONSchemaProps, diags: Diagnostics): JSONSchemaProps {
  const out: Emission = { overlay: {}, rules: [] };
  const ordered = tags.map((t, i) => ({ t, i })).sort((a, b) => (tagSpec(a.t.name)?.order ?? 0) - (tagSpec(b.t.name)?.order ?? 0) || a.i - b.i).map((x) => x.t);
  for (const t of ordered) {
    const spec = tagSpec(t.name);
    if (!spec?.emit) continue;
    const ctx = tagContext(set, t, spec, target, diags);
    const fitsTarget = (): boolean => {
      if (!spec.targets || spec.targets.kinds.includes(ctx.kind)) return true;
      diags.error("tag-target", `@${t.name} applies to ${spec.targets.what} values, but this is ${describeKind(ctx.kind)}`, ctx.at, hintForTarget(t.name, ctx.kind));
      return false;
    };
    // A flag's value is checked before its target; other tags' targets before their values.
    const isFlag = spec.value.syntax === "";
    if (!isFlag && !fitsTarget()) continue;
    const v = spec.value.parse(t.value, ctx);
    if (v === undefined || (isFlag && !fitsTarget())) continue;
    spec.emit(v, out, ctx);
  }
  const o = out.overlay;
  if (out.rules.length) o["x-kubernetes-validations"] = out.rules;
  checkBounds(set, tags, target, o, diags);
  checkListMap(set, tags, target, o, diags);
  return o;
}

type Kind = TargetKind;

function describeKind(k: Kind): string {
  return k === "unknown" ? "a value of unknown type" : k === "int-or-string" ? "an int-or-string" : k === "array" || k === "object" || k === "integer" ? `an ${k}` : `a ${k}`;
}

function hintForTarget(tag: string, kind: Kind): string | undefined {
  if (kind === "array" && /Length|pattern|minimum|maximum/i.test(tag)) return "put it on the element type (a named type alias) instead";
  if (kind === "object" && tag.endsWith("Items")) return `use @${tag.replace("Items", "Properties")} on maps`;
  if (kind === "array" && tag.endsWith("Properties")) return `use @${tag.replace("Properties", "Items")} on arrays`;
  if (kind === "string" && /imum|multipleOf/.test(tag)) return "bound the length with @minLength/@maxLength, or make the field Int32/Int64";
  if (kind === "int-or-string" && /imum|multipleOf/.test(tag)) return "int-or-string values take only @pattern/@maxLength/@minLength";
  return `remove @${tag} or change the field's type`;
}

