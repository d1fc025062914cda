/** The JSDoc tag vocabulary (DESIGN §5) and how schema tags turn into schema keywords. @module */
import type { JSONSchemaProps, ValidationRule } from "./json-schema.js";
import { schemaKind } from "./json-schema.js";
import { didYouMean, type Diagnostics, type SourcePos } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { parseArgs, parseFieldList, parseFlowValue, parseNumber } from "./tag-values.js";
import { checkRule } from "./cel.js";
import { re2Problem, valueProblem } from "./values.js";

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

/** Tags of one declaration, checked for known names. */
export interface TagSet {
  tags: RawTag[];
  file: string;
  text: string;
}

/** Makes a source position for a tag. */
export function tagPos(set: TagSet, t: RawTag, value = false): SourcePos {
  return { file: set.file, text: set.text, pos: value ? t.valuePos : t.pos };
}

/** Reports unknown or misplaced tags; returns only the usable ones. */
export function checkTagNames(set: TagSet, site: TagSite, diags: Diagnostics): RawTag[] {
  const known: string[] = [...SCHEMA_TAGS, ...(site === "resource" ? RESOURCE_TAGS : [])];
  const all = [...SCHEMA_TAGS, ...RESOURCE_TAGS];
  return set.tags.filter((t) => {
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
        rules.push(oneOfRule(t.name, fields));
        break;
      }
      case "immutable":
        rules.push({ rule: "self == oldSelf", message: "field is immutable" });
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

/** @listType/@listMapKey consistency, as the apiserver requires it. */
function checkListMap(set: TagSet, tags: RawTag[], target: JSONSchemaProps, o: JSONSchemaProps, diags: Diagnostics): void {
  const listType = o["x-kubernetes-list-type"] ?? target["x-kubernetes-list-type"];
  const keys = o["x-kubernetes-list-map-keys"] ?? target["x-kubernetes-list-map-keys"];
  const items = target.items;
  const keyTag = tags.find((t) => t.name === "listMapKey");
  const typeTag = tags.find((t) => t.name === "listType");
  if (keys && listType !== "map" && keyTag) {
    diags.error("tag-value", "@listMapKey needs @listType map", tagPos(set, keyTag), "add @listType map");
    return;
  }
  if (listType === "map" && typeTag) {
    if (!keys?.length) { diags.error("tag-value", "@listType map needs at least one @listMapKey", tagPos(set, typeTag), "add @listMapKey <field> naming the key field of the items"); return; }
    if (items?.type !== "object" || !items.properties) { diags.error("tag-value", "@listType map needs object items", tagPos(set, typeTag), "use @listType set or atomic for scalar lists"); return; }
    for (const k of keys) {
      const p = items.properties[k];
      const at = tagPos(set, tags.find((t) => t.name === "listMapKey" && t.value === k) ?? typeTag, true);
      if (!p) { const g = didYouMean(k, Object.keys(items.properties)); diags.error("tag-value", `@listMapKey ${k} names no field of the list items`, at, g ? `did you mean ${g}?` : `fields: ${Object.keys(items.properties).join(", ")}`); continue; }
      if (!["string", "integer", "number", "boolean"].includes(p.type ?? "")) diags.error("tag-value", `@listMapKey ${k} must name a scalar field`, at);
      else if (!items.required?.includes(k) && p.default === undefined) diags.error("tag-value", `@listMapKey ${k} must name a required field (or one with a @default)`, at, `remove the ? from ${k} in the item type`);
      if (p.nullable) diags.error("tag-value", `@listMapKey ${k} must not be nullable`, at);
    }
  }
  if (listType === "set" && typeTag && items && !["string", "integer", "number", "boolean"].includes(items.type ?? "") && items["x-kubernetes-map-type"] !== "atomic" && !items["x-kubernetes-int-or-string"]) {
    diags.error("tag-value", "@listType set needs scalar items (or items with @mapType atomic)", tagPos(set, typeTag), "use @listType map with @listMapKey for lists of objects");
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
    if (p) diags.error("tag-value", `@${k} does not match the field's schema: ${p}`, tagPos(set, t, true), "fix the value or the type");
  }
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

/** min > max checks on one overlay. */
function checkBounds(set: TagSet, tags: RawTag[], o: JSONSchemaProps, diags: Diagnostics): void {
  const pairs: [keyof JSONSchemaProps, keyof JSONSchemaProps][] = [["minimum", "maximum"], ["minLength", "maxLength"], ["minItems", "maxItems"], ["minProperties", "maxProperties"]];
  for (const [lo, hi] of pairs) {
    const a = o[lo] as number | undefined;
    const b = o[hi] as number | undefined;
    if (a === undefined || b === undefined || a <= b) continue;
    const t = tags.find((x) => x.name === lo)!;
    diags.error("tag-bounds", `@${lo} ${a} is greater than @${hi} ${b}`, tagPos(set, t, true), "no value could ever be valid; swap or fix the bounds");
  }
}

const REASONS = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"];
const RULE_KEYS = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"];

/** Parses `@validation rule="..." message="..." ...` into a rule (CEL is checked later). */
function parseRule(set: TagSet, t: RawTag, diags: Diagnostics): ValidationRule | undefined {
  const vat = tagPos(set, t, true);
  const a = parseArgs(t.value);
  if (a.error) { diags.error("tag-value", `@validation: ${a.error}`, vat, 'write @validation rule="self.x > 0" message="..."'); return undefined; }
  for (const k of a.args.keys()) {
    if (!RULE_KEYS.includes(k)) {
      const g = didYouMean(k, RULE_KEYS);
      diags.error("tag-value", `@validation: unknown argument ${k}`, { ...vat, pos: vat.pos + (a.offsets.get(k) ?? 0) }, g ? `did you mean ${g}?` : `arguments: ${RULE_KEYS.join(", ")}`);
      return undefined;
    }
  }
  const rule = a.args.get("rule");
  if (typeof rule !== "string" || !rule.trim()) { diags.error("tag-value", "@validation needs rule=\"<CEL expression>\"", vat); return undefined; }
  const out: ValidationRule = { rule };
  for (const k of ["message", "messageExpression", "fieldPath"] as const) {
    const v = a.args.get(k);
    if (v === undefined) continue;
    if (typeof v !== "string" || !v.trim()) { diags.error("tag-value", `@validation: ${k} must be non-empty text`, vat); return undefined; }
    if (k !== "messageExpression" && v.includes("\n")) { diags.error("tag-value", `@validation: ${k} must be one line`, vat); return undefined; }
    out[k] = v;
  }
  const reason = a.args.get("reason");
  if (reason !== undefined) {
    if (typeof reason !== "string" || !REASONS.includes(reason)) { diags.error("tag-value", `@validation: invalid reason ${String(reason)}`, vat, `valid reasons: ${REASONS.join(", ")}`); return undefined; }
    out.reason = reason;
  }
  if (a.args.has("optionalOldSelf")) {
    const v = a.args.get("optionalOldSelf");
    if (v !== true && v !== "true" && v !== "false") { diags.error("tag-value", "@validation: optionalOldSelf is a flag", vat); return undefined; }
    if (v !== "false") out.optionalOldSelf = true;
  }
  if (rule.includes("\n") && !out.message) { diags.error("tag-value", "@validation: a multi-line rule needs a message", vat); return undefined; }
  return out;
}

const CEL_KEYWORDS = new Set(["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]);

/** Escapes a property name for use in a CEL expression, as the apiserver does. */
export function celName(name: string): string {
  if (CEL_KEYWORDS.has(name)) return `__${name}__`;
  return name.replace(/__/g, "__underscores__").replace(/\./g, "__dot__").replace(/-/g, "__dash__").replace(/\//g, "__slash__");
}

/** The CEL rule controller-gen emits for a one-of tag, with field names escaped. */
export function oneOfRule(tag: string, fields: string[]): ValidationRule {
  const has = fields.map((f) => `has(self.${celName(f)})`);
  const list = `[${fields.join(" ")}]`;
  if (tag === "atLeastOneOf") return { rule: has.join("||"), message: `at least one of the fields in ${list} must be set` };
  const sum = has.map((h) => `(${h}?1:0)`).join("+");
  return tag === "exactlyOneOf"
    ? { rule: `${sum} == 1`, message: `exactly one of the fields in ${list} must be set` }
    : { rule: `${sum} <= 1`, message: `at most one of the fields in ${list} may be set` };
}
