/** The JSDoc tag vocabulary (DESIGN §5) and how schema tags turn into schema keywords. @module */
import type { JSONSchemaProps, ValidationRule } from "./json-schema.js";
import { schemaKind } from "./json-schema.js";
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { parseFieldList, parseFlowValue, parseNumber } from "./tag-values.js";
import { checkRule } from "./cel.js";
import { re2Problem } from "./values.js";
import { tagPos, type TagSet } from "./tag-set.js";
import { oneOfRule, parseRule, ruleOrigin } from "./rules.js";
import { checkBounds, checkListMap } from "./tag-checks.js";
import { checkPath } from "./paths.js";

export { tagPos, type TagSet } from "./tag-set.js";
export { celName, oneOfRule } from "./rules.js";
export { checkValues } from "./tag-checks.js";

/** Tags that shape a schema node (field or type level). */
export const SCHEMA_TAGS = [
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
  "pattern", "format", "minItems", "maxItems", "minProperties", "maxProperties", "default", "example",
  "nullable", "optional", "required", "title", "preserveUnknownFields", "embeddedResource", "intOrString",
  "schemaless", "listType", "listMapKey", "mapType", "structType", "immutable", "exactlyOneOf",
  "atMostOneOf", "atLeastOneOf", "validation",
] as const;

/** Tags only valid on the resource's declaration. */
export const RESOURCE_TAGS = [
  "scope", "plural", "singular", "shortName", "category", "subresource", "printColumn", "storageVersion",
  "deprecatedVersion", "unservedVersion", "selectableField", "annotation",
] as const;

/** Tags that also work on the items of an array field as `@items:<tag>` (controller-gen's `items:` markers). */
export const ITEM_TAGS = [
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern",
  "format", "minItems", "maxItems", "minProperties", "maxProperties", "nullable", "listType", "listMapKey", "mapType",
  "structType", "validation", "exactlyOneOf", "atMostOneOf", "atLeastOneOf", "preserveUnknownFields", "embeddedResource",
] as const;

/** Plain documentation tags that tsop ignores. */
export const DOC_TAGS = ["deprecated", "see", "since", "remarks", "link", "todo", "module", "internal"] as const;

/** Tags that may appear several times on one declaration. */
const REPEATABLE = new Set(["validation", "listMapKey", "shortName", "category", "printColumn", "selectableField", "annotation", "items:validation", "items:listMapKey"]);

/** Tags users bring from other tools, refused with the tsop way to say it. */
const REFUSED: Record<string, string> = {
  uniqueItems: "the apiserver rejects uniqueItems; use @listType set",
  enum: "write the allowed values as a literal union type, e.g. \"a\" | \"b\"",
  type: "write the TypeScript type instead; @schemaless with @preserveUnknownFields for free-form data",
  rbac: "@rbac belongs on a controller class in src/controllers",
};

const FORMATS = [
  "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5",
  "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password", "date",
  "duration", "datetime", "date-time", "int32", "int64", "float", "double", "k8s-short-name", "k8s-long-name",
];

const FLAGS = new Set(["exclusiveMinimum", "exclusiveMaximum", "nullable", "optional", "required",
  "preserveUnknownFields", "embeddedResource", "intOrString", "schemaless", "immutable"]);

/** Where a set of tags sits. */
export type TagSite = "field" | "type" | "resource";

/** Reports unknown or misplaced tags; returns only the usable ones. */
export function checkTagNames(set: TagSet, site: TagSite, diags: Diagnostics): RawTag[] {
  const known: string[] = [...SCHEMA_TAGS, ...(site === "resource" ? RESOURCE_TAGS : [])];
  const all = [...SCHEMA_TAGS, ...RESOURCE_TAGS];
  const seen = new Set<string>();
  return set.tags.filter((t) => {
    if (!REPEATABLE.has(t.name) && (known.includes(t.name) || t.name.startsWith("items:")) && !(t.name === "subresource")) {
      if (seen.has(t.name)) {
        diags.error("duplicate-tag", `@${t.name} is given twice`, tagPos(set, t), "keep one; only @validation, @listMapKey, @shortName, @category, @printColumn, @selectableField and @annotation repeat");
        return false;
      }
      seen.add(t.name);
    }
    if ((DOC_TAGS as readonly string[]).includes(t.name)) return false;
    if (known.includes(t.name)) return true;
    const at = tagPos(set, t);
    if (t.name.startsWith("items:")) {
      const inner = t.name.slice(6);
      if (site === "field" && (ITEM_TAGS as readonly string[]).includes(inner)) return true;
      const g = didYouMean(inner, ITEM_TAGS);
      diags.error("unknown-tag", site === "field" ? `@items:${inner} is not an item tag` : `@${t.name} belongs on an array field`, at, site === "field" ? (g ? `did you mean @items:${g}?` : `item tags: ${ITEM_TAGS.join(" ")}`) : "or put the tag on the element type's declaration");
      return false;
    }
    if ((all as string[]).includes(t.name)) {
      diags.error("misplaced-tag", `@${t.name} is a resource-level tag`, at, "put it on the resource's interface (the one named after the kind)");
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

type Kind = ReturnType<typeof schemaKind>;
const NUMERIC: Kind[] = ["number", "integer"];
const TEXTUAL: Kind[] = ["string", "int-or-string"];

/**
 * Builds the keywords that `tags` add on top of `target` (the schema of the node's type), reporting
 * tags whose value or target is wrong. The result is an overlay to merge with `target`.
 */
export function tagOverlay(set: TagSet, tags: RawTag[], target: JSONSchemaProps, diags: Diagnostics): JSONSchemaProps {
  const o: JSONSchemaProps = {};
  const kind = schemaKind(target);
  const rules: ValidationRule[] = [];
  for (const t of tags) {
    const at = tagPos(set, t);
    const vat = tagPos(set, t, true);
    const needs = (kinds: Kind[], what: string): boolean => {
      if (kinds.includes(kind)) return true;
      diags.error("tag-target", `@${t.name} applies to ${what} values, but this is ${describeKind(kind)}`, at, hintForTarget(t.name, kind));
      return false;
    };
    if (FLAGS.has(t.name) && t.value !== "" && t.value !== "true") {
      if (t.value === "false") continue;
      diags.error("tag-value", `@${t.name} takes no value, got "${t.value}"`, vat, `write just @${t.name}`);
      continue;
    }
    switch (t.name) {
      case "minimum": case "maximum": case "multipleOf": {
        if (!needs(NUMERIC, "numeric")) break;
        const n = parseNumber(t.value, false);
        if (n === undefined) { diags.error("tag-value", `@${t.name} needs a number, got "${t.value}"`, vat); break; }
        if (kind === "integer" && !Number.isInteger(n)) { diags.error("tag-value", `@${t.name} ${t.value} is not an integer, but the field is an integer`, vat, "use a whole number"); break; }
        if (t.name === "multipleOf" && n <= 0) { diags.error("tag-value", "@multipleOf must be greater than 0", vat); break; }
        o[t.name] = n;
        break;
      }
      case "exclusiveMinimum": case "exclusiveMaximum":
        if (needs(NUMERIC, "numeric")) o[t.name] = true;
        break;
      case "minLength": case "maxLength": case "minItems": case "maxItems": case "minProperties": case "maxProperties": {
        const ok = t.name.endsWith("Length") ? needs(TEXTUAL, "string") : t.name.endsWith("Items") ? needs(["array"], "array") : needs(["object"], "object (map or struct)");
        if (!ok) break;
        const n = parseNumber(t.value, true);
        if (n === undefined) { diags.error("tag-value", `@${t.name} needs a non-negative integer, got "${t.value}"`, vat); break; }
        o[t.name] = n;
        break;
      }
      case "pattern":
        if (!needs(TEXTUAL, "string")) break;
        if (!t.value) { diags.error("tag-value", "@pattern needs a regular expression", at); break; }
        {
          const bad = re2Problem(t.value);
          if (bad) { diags.error("tag-value", `@pattern is not a valid RE2 regular expression: ${bad}`, vat, "the apiserver uses Go's RE2: no look-around, no back-references"); break; }
        }
        o.pattern = t.value;
        break;
      case "format": {
        if (!FORMATS.includes(t.value)) {
          const g = didYouMean(t.value, FORMATS);
          diags.error("tag-value", `unknown format "${t.value}"`, vat, g ? `did you mean ${g}?` : `the apiserver knows: ${FORMATS.join(", ")}`);
          break;
        }
        o.format = t.value;
        break;
      }
      case "default": case "example": {
        const r = parseFlowValue(t.value);
        if (r.error) { diags.error("tag-value", `@${t.name}: ${r.error}`, vat, 'write a YAML or JSON value, e.g. 3, "text", [a, b], {}'); break; }
        o[t.name] = r.value;
        break;
      }
      case "nullable": o.nullable = true; break;
      case "title": o.title = t.value; break;
      case "preserveUnknownFields": o["x-kubernetes-preserve-unknown-fields"] = true; break;
      case "embeddedResource": o["x-kubernetes-embedded-resource"] = true; break;
      case "intOrString": o["x-kubernetes-int-or-string"] = true; break;
      case "listType":
        if (!needs(["array"], "array")) break;
        if (!["atomic", "set", "map"].includes(t.value)) { diags.error("tag-value", `@listType must be atomic, set or map, got "${t.value}"`, vat); break; }
        o["x-kubernetes-list-type"] = t.value;
        break;
      case "listMapKey":
        if (!needs(["array"], "array")) break;
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(t.value)) { diags.error("tag-value", `@listMapKey needs a field name, got "${t.value}"`, vat); break; }
        (o["x-kubernetes-list-map-keys"] ??= []).push(t.value);
        break;
      case "mapType": case "structType":
        if (!needs(["object"], "object")) break;
        if (!["atomic", "granular"].includes(t.value)) { diags.error("tag-value", `@${t.name} must be atomic or granular, got "${t.value}"`, vat); break; }
        o["x-kubernetes-map-type"] = t.value;
        break;
      case "validation": {
        const rule = parseRule(set, t, diags);
        if (!rule) break;
        for (const p of checkRule(rule, target)) diags.error("cel", `@validation: ${p.message}`, vat, p.hint);
        if (rule.fieldPath) checkPath(target, rule.fieldPath, "@validation fieldPath", vat, diags);
        ruleOrigin.set(rule, vat);
        rules.push(rule);
        break;
      }
      case "exactlyOneOf": case "atMostOneOf": case "atLeastOneOf": {
        if (!needs(["object"], "object")) break;
        const fields = parseFieldList(t.value);
        if (fields.length < 2) { diags.error("tag-value", `@${t.name} needs at least two field names`, vat, `e.g. @${t.name} a;b`); break; }
        const props = target.properties ?? {};
        const missing = fields.filter((f) => !(f in props));
        if (missing.length) {
          const g = didYouMean(missing[0]!, Object.keys(props));
          diags.error("tag-value", `@${t.name} names ${missing.map((m) => `"${m}"`).join(", ")}, which ${missing.length > 1 ? "are not fields" : "is not a field"} of this object`, vat, g ? `did you mean ${g}?` : `fields: ${Object.keys(props).join(", ")}`);
          break;
        }
        const req = fields.filter((f) => target.required?.includes(f));
        if (req.length) { diags.error("tag-value", `@${t.name}: field ${req.join(", ")} is required, so the constraint can never hold`, vat, "make the fields optional with ?"); break; }
        const r = oneOfRule(t.name, fields);
        ruleOrigin.set(r, vat);
        rules.push(r);
        break;
      }
      case "immutable":
        rules.push({ rule: "self == oldSelf", message: "field is immutable" });
        ruleOrigin.set(rules[rules.length - 1]!, at);
        break;
      default:
        break;
    }
  }
  if (rules.length) o["x-kubernetes-validations"] = rules;
  checkBounds(set, tags, o, diags);
  checkListMap(set, tags, target, o, diags);
  return o;
}

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

