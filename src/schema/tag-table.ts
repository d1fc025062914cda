/**
 * THE table of JSDoc tags (DESIGN §5): for each tag its name, where it may stand, whether it repeats,
 * how its value is parsed, which values it applies to, how it emits, and the code of its errors.
 * Checking (tags.ts), emitting (tagOverlay), "did you mean", resource tags (resource.ts) and
 * docs/schema.md's tag tables (tag-docs.ts, kept in step by a test) are all derived from it.
 * To add a tag: add one entry here (and a value parser if none fits), then run the tag-docs test with
 * UPDATE_GOLDEN=1.
 * @module
 */
import type { SchemaErrorCode } from "./codes.js";
import { didYouMean, type Diagnostics, type SourcePos } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { schemaKind, type JSONSchemaProps, type ValidationRule } from "./json-schema.js";
import { checkPath } from "./paths.js";
import { RESOURCE_READERS, type ResourceTags } from "./resource-tags.js";
import { oneOfRule, parseRule, reportedRules, ruleOrigin } from "./rules.js";
import { checkRule } from "./cel.js";
import { tagPos, type TagSet } from "./tag-set.js";
import { parseFieldList, parseFlowValue, parseNumber } from "./tag-values.js";
import { re2Problem } from "./values.js";
import { PRECISION_HINT, precisionProblem, rangeProblem } from "./numbers.js";

/** Where a tag may stand: a field's JSDoc, a named type's, the resource interface's, an array field's items (`@items:<tag>`), a controller class's, a webhook's (src/webhooks). */
export type TagWhere = "field" | "type" | "resource" | "items" | "controller" | "webhook";

/** The kind of value a schema node holds, as tags see it. */
export type TargetKind = ReturnType<typeof schemaKind>;

/** The docs/schema.md section a tag is listed in. */
export type TagSection = "Numbers" | "Strings" | "Arrays" | "Objects and maps" | "Values, docs and flags" | "CEL" | "Resource" | "Controllers" | "Webhooks";

/** What a value parser and an emitter see of one tag on one schema node. */
export interface TagContext {
  set: TagSet;
  tag: RawTag;
  /** The schema of the node's type (before this node's tags). */
  target: JSONSchemaProps;
  kind: TargetKind;
  diags: Diagnostics;
  /** Position of the tag's `@` and of its value. */
  at: SourcePos;
  vat: SourcePos;
  /** Reports a problem with the value, with the tag's error code, at the value. */
  bad(message: string, hint?: string, at?: SourcePos): void;
}

/** Parses a tag's value; reports and returns undefined when it is unusable (or, for flags, `false`). */
export interface ValueParser<V> {
  /** How the value is written, for docs: `n`, `re`, `a;b`. Empty for flags. */
  syntax: string;
  parse(text: string, ctx: TagContext): V | undefined;
}

/** What an emitter writes into: the overlay laid over the node's type, and its CEL rules. */
export interface Emission { overlay: JSONSchemaProps; rules: ValidationRule[] }

/** One tag. `V` is the parsed value's type. */
export interface TagSpec<V = unknown> {
  name: string;
  section: TagSection;
  where: readonly TagWhere[];
  /** `true`: any number of times; `"per-kind"`: once per argument kind (`@subresource status` and `scale`). */
  repeatable: boolean | "per-kind";
  value: ValueParser<V>;
  /** The value kinds it applies to (schema tags); absent: any. `what` names them in messages. */
  targets?: { kinds: readonly TargetKind[]; what: string };
  /** Writes the parsed value into a schema node. */
  emit?: (v: V, out: Emission, ctx: TagContext) => void;
  /** Emission order among a node's tags (default 0; ties keep the source order): controller-gen emits @validation rules, then at-most, exactly and at-least one-of rules. */
  order?: number;
  /** Writes the parsed value into the resource's CRD-level settings. */
  resource?: (v: V, r: ResourceTags, ctx: TagContext) => void;
  /** Code of the errors about its value. */
  code: SchemaErrorCode;
  /** How to fix it when the tag stands where it is not allowed (default: move it). */
  misplacedHint?: string;
  /** For docs: an example use and what it emits. */
  example: string;
  emits: string;
}

// ---- value parsers -------------------------------------------------------------------------------

/** A flag: no value, or `true`; `false` turns it off (parsed as undefined without a report). */
const flag: ValueParser<true> = {
  syntax: "",
  parse(text, ctx) {
    if (text === "" || text === "true") return true;
    if (text !== "false") ctx.bad(`@${ctx.tag.name} takes no value, got "${text}"`, `write just @${ctx.tag.name}`);
    return undefined;
  },
};

/** Free text, kept as written. */
const text: ValueParser<string> = { syntax: "text", parse: (t) => t };

/** A number; whole when the node is an integer. */
const bound: ValueParser<number> = {
  syntax: "n",
  parse(t, ctx) {
    const n = parseNumber(t, false);
    if (n === undefined) { ctx.bad(`@${ctx.tag.name} needs a number, got "${t}"`); return undefined; }
    if (ctx.kind === "integer" && !Number.isInteger(n)) { ctx.bad(`@${ctx.tag.name} ${t} is not an integer, but the field is an integer`, "use a whole number"); return undefined; }
    const lost = precisionProblem(t, n);
    if (lost) { ctx.bad(`@${ctx.tag.name} ${lost}`, PRECISION_HINT); return undefined; }
    const out = Number.isInteger(n) ? rangeProblem(n, ctx.target, t) : undefined;
    if (out) { ctx.bad(`@${ctx.tag.name} ${out}`, ctx.target.format === "int32" ? "use a bound within the range, or Int64 for larger values" : "use a bound within the range, or a string with @pattern for larger values"); return undefined; }
    return n;
  },
};

const positive: ValueParser<number> = {
  syntax: "n",
  parse(t, ctx) {
    const n = bound.parse(t, ctx);
    if (n !== undefined && n <= 0) { ctx.bad("@multipleOf must be greater than 0"); return undefined; }
    return n;
  },
};

/** A non-negative integer (lengths and counts). */
const count: ValueParser<number> = {
  syntax: "n",
  parse(t, ctx) {
    const n = parseNumber(t, true);
    if (n === undefined) ctx.bad(`@${ctx.tag.name} needs a non-negative integer, got "${t}"`);
    const lost = n === undefined ? undefined : precisionProblem(t, n);
    if (lost) { ctx.bad(`@${ctx.tag.name} ${lost}`, "use a smaller count"); return undefined; }
    return n;
  },
};

const regex: ValueParser<string> = {
  syntax: "re",
  parse(t, ctx) {
    if (!t) { ctx.bad("@pattern needs a regular expression", undefined, ctx.at); return undefined; }
    const bad = re2Problem(t);
    if (bad) { ctx.bad(`@pattern is not a valid RE2 regular expression: ${bad}`, "the apiserver uses Go's RE2: no look-around, no back-references"); return undefined; }
    return t;
  },
};

/** Formats the apiserver knows. */
export const FORMATS = [
  "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5",
  "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password", "date",
  "duration", "datetime", "date-time", "int32", "int64", "float", "double", "k8s-short-name", "k8s-long-name",
];

const format: ValueParser<string> = {
  syntax: "f",
  parse(t, ctx) {
    if (FORMATS.includes(t)) return t;
    const g = didYouMean(t, FORMATS);
    ctx.bad(`unknown format "${t}"`, g ? `did you mean ${g}?` : `the apiserver knows: ${FORMATS.join(", ")}`);
    return undefined;
  },
};

/** The JSON types `@wireType` may name: scalars only, since an object or array needs its structure. */
export const WIRE_TYPES = ["string", "integer", "number", "boolean"] as const;

/** One of a few words, e.g. `atomic|set|map`. */
function word<W extends string>(words: readonly W[], say: string, hint?: string): ValueParser<W> {
  return {
    syntax: words.join("|"),
    parse(t, ctx) {
      if ((words as readonly string[]).includes(t)) return t as W;
      ctx.bad(`@${ctx.tag.name} must be ${say}, got "${t}"`, hint);
      return undefined;
    },
  };
}

const flowValue: ValueParser<{ value: unknown }> = {
  syntax: "v",
  parse(t, ctx) {
    const r = parseFlowValue(t);
    if (r.error) { ctx.bad(`@${ctx.tag.name}: ${r.error}`, r.hint ?? 'write a YAML or JSON value, e.g. 3, "text", [a, b], {}'); return undefined; }
    return { value: r.value };
  },
};

const fieldName: ValueParser<string> = {
  syntax: "field",
  parse(t, ctx) {
    if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(t)) return t;
    ctx.bad(`@listMapKey needs a field name, got "${t}"`);
    return undefined;
  },
};

/** Two or more optional fields of the object, for the one-of tags. */
const oneOfFields: ValueParser<string[]> = {
  syntax: "a;b",
  parse(t, ctx) {
    const name = ctx.tag.name;
    const fields = parseFieldList(t);
    if (fields.length < 2) { ctx.bad(`@${name} needs at least two field names`, `e.g. @${name} a;b`); return undefined; }
    const nested = fields.filter((f) => f.includes("."));
    if (nested.length) { ctx.bad(`@${name} cannot reference nested fields: ${nested.join(",")}`, "put the tag on the nested object's type (or field) and name its own fields"); return undefined; }
    const twice = fields.find((f, i) => fields.indexOf(f) !== i);
    if (twice) { ctx.bad(`@${name} names "${twice}" twice`, "name each field once"); return undefined; }
    const props = ctx.target.properties ?? {};
    const missing = fields.filter((f) => !(f in props));
    if (missing.length) {
      const g = didYouMean(missing[0]!, Object.keys(props));
      ctx.bad(`@${name} names ${missing.map((m) => `"${m}"`).join(", ")}, which ${missing.length > 1 ? "are not fields" : "is not a field"} of this object`, g ? `did you mean ${g}?` : `fields: ${Object.keys(props).join(", ")}`);
      return undefined;
    }
    const req = fields.filter((f) => ctx.target.required?.includes(f));
    if (req.length) { ctx.bad(`@${name}: field ${req.join(", ")} is required, so the constraint can never hold`, "make the fields optional with ?"); return undefined; }
    return fields;
  },
};

const rule: ValueParser<ValidationRule> = {
  syntax: 'rule="<CEL>" [message="..."] [messageExpression="<CEL>"] [reason=...] [fieldPath=".x"] [optionalOldSelf]',
  parse: (_t, ctx) => parseRule(ctx.set, ctx.tag, ctx.diags),
};

/** The raw text, for tags whose reader (resource-tags.ts) parses it. */
const raw = (syntax: string): ValueParser<string> => ({ syntax, parse: (t) => t });

// ---- emitters ------------------------------------------------------------------------------------

type Key = keyof JSONSchemaProps;
/** Sets one keyword to the value. */
const set = <V>(key: Key): ((v: V, out: Emission) => void) => (v, out) => { (out.overlay as Record<string, unknown>)[key] = v; };
/** Sets one keyword to `true`. */
const on = (key: Key): ((v: true, out: Emission) => void) => (_v, out) => { (out.overlay as Record<string, unknown>)[key] = true; };
const reader = (name: string) => (v: string, r: ResourceTags, ctx: TagContext): void => RESOURCE_READERS[name]!(v, r, ctx);

const NUMERIC = { kinds: ["number", "integer"], what: "numeric" } as const;
const TEXTUAL = { kinds: ["string", "int-or-string"], what: "string" } as const;
const ARRAY = { kinds: ["array"], what: "array" } as const;
const OBJECT = { kinds: ["object"], what: "object" } as const;
const MAP_OR_STRUCT = { kinds: ["object"], what: "object (map or struct)" } as const;

const ANYWHERE: readonly TagWhere[] = ["field", "type", "resource", "items"];
const NODE: readonly TagWhere[] = ["field", "type", "resource"];
const RESOURCE: readonly TagWhere[] = ["resource"];

/** Erases a spec's value type so specs of different tags share one array. */
function tag<V>(spec: TagSpec<V>): TagSpec {
  return spec as unknown as TagSpec;
}

const validationRule = (v: ValidationRule, out: Emission, ctx: TagContext): void => {
  const problems = checkRule(v, ctx.target);
  if (problems.length) reportedRules.add(v);
  for (const p of problems) ctx.diags.error("cel", `@validation: ${p.message}`, ctx.vat, p.hint);
  if (v.fieldPath) checkPath(ctx.target, v.fieldPath, "@validation fieldPath", ctx.vat, ctx.diags);
  ruleOrigin.set(v, ctx.vat);
  out.rules.push(v);
};

const oneOf = (fields: string[], out: Emission, ctx: TagContext): void => {
  const r = oneOfRule(ctx.tag.name, fields);
  ruleOrigin.set(r, ctx.vat);
  out.rules.push(r);
};

/** Every tag tsop knows, in the order "did you mean" and the messages list them. */
export const TAGS: readonly TagSpec[] = [
  tag({ name: "minimum", section: "Numbers", where: ANYWHERE, repeatable: false, value: bound, targets: NUMERIC, emit: set("minimum"), code: "tag-value", example: "@minimum 1", emits: "`minimum: 1`" }),
  tag({ name: "maximum", section: "Numbers", where: ANYWHERE, repeatable: false, value: bound, targets: NUMERIC, emit: set("maximum"), code: "tag-value", example: "@maximum 65535", emits: "`maximum: 65535`" }),
  tag({ name: "exclusiveMinimum", section: "Numbers", where: ANYWHERE, repeatable: false, value: flag, targets: NUMERIC, emit: on("exclusiveMinimum"), code: "tag-value", example: "@minimum 0 @exclusiveMinimum", emits: "`exclusiveMinimum: true`" }),
  tag({ name: "exclusiveMaximum", section: "Numbers", where: ANYWHERE, repeatable: false, value: flag, targets: NUMERIC, emit: on("exclusiveMaximum"), code: "tag-value", example: "@maximum 10 @exclusiveMaximum", emits: "`exclusiveMaximum: true`" }),
  tag({ name: "multipleOf", section: "Numbers", where: ANYWHERE, repeatable: false, value: positive, targets: NUMERIC, emit: set("multipleOf"), code: "tag-value", example: "@multipleOf 2", emits: "`multipleOf: 2` (must be > 0)" }),
  tag({ name: "minLength", section: "Strings", where: ANYWHERE, repeatable: false, value: count, targets: TEXTUAL, emit: set("minLength"), code: "tag-value", example: "@minLength 1", emits: "`minLength: 1`" }),
  tag({ name: "maxLength", section: "Strings", where: ANYWHERE, repeatable: false, value: count, targets: TEXTUAL, emit: set("maxLength"), code: "tag-value", example: "@maxLength 253", emits: "`maxLength: 253`" }),
  tag({ name: "pattern", section: "Strings", where: ANYWHERE, repeatable: false, value: regex, targets: TEXTUAL, emit: set("pattern"), code: "tag-value", example: "@pattern ^[a-z]+$", emits: "`pattern` (checked as RE2: no look-around, no back-references; `[[:alpha:]]` is fine)" }),
  tag({ name: "format", section: "Strings", where: ANYWHERE, repeatable: false, value: format, emit: set("format"), code: "tag-value", example: "@format email", emits: "`format: email` (one of the formats below)" }),
  tag({ name: "wireType", section: "Values, docs and flags", where: NODE, repeatable: false, value: word(WIRE_TYPES, WIRE_TYPES.join(", "), "an object or array needs its structure: write the TypeScript type, or use @schemaless @preserveUnknownFields"), emit: set("type"), code: "tag-value", misplacedHint: "it names the JSON type of a field or type", example: "@wireType string", emits: "`type: string`; the TypeScript type is not converted (a value with its own serialization, controller-gen's `validation:Type`)" }),
  tag({ name: "minItems", section: "Arrays", where: ANYWHERE, repeatable: false, value: count, targets: ARRAY, emit: set("minItems"), code: "tag-value", example: "@minItems 1", emits: "`minItems`" }),
  tag({ name: "maxItems", section: "Arrays", where: ANYWHERE, repeatable: false, value: count, targets: ARRAY, emit: set("maxItems"), code: "tag-value", example: "@maxItems 16", emits: "`maxItems`" }),
  tag({ name: "minProperties", section: "Objects and maps", where: ANYWHERE, repeatable: false, value: count, targets: MAP_OR_STRUCT, emit: set("minProperties"), code: "tag-value", example: "@minProperties 1", emits: "`minProperties`" }),
  tag({ name: "maxProperties", section: "Objects and maps", where: ANYWHERE, repeatable: false, value: count, targets: MAP_OR_STRUCT, emit: set("maxProperties"), code: "tag-value", example: "@maxProperties 3", emits: "`maxProperties`" }),
  tag({ name: "default", section: "Values, docs and flags", where: NODE, repeatable: false, value: flowValue, emit: (v, out) => { out.overlay.default = v.value; }, code: "tag-default", example: '@default 3, @default "memcached:1.6", @default [a, b], @default {}', emits: "`default`" }),
  tag({ name: "example", section: "Values, docs and flags", where: NODE, repeatable: false, value: flowValue, emit: (v, out) => { out.overlay.example = v.value; }, code: "tag-default", example: '@example "abc"', emits: "`example`" }),
  tag({ name: "nullable", section: "Values, docs and flags", where: ANYWHERE, repeatable: false, value: flag, emit: on("nullable"), code: "tag-value", example: "@nullable", emits: "`nullable: true`" }),
  tag({ name: "optional", section: "Values, docs and flags", where: ["field", "resource"], repeatable: false, value: flag, code: "required-optional", misplacedHint: "use ? on the field to make it optional", example: "@optional", emits: "nothing; only checked against `?`" }),
  tag({ name: "required", section: "Values, docs and flags", where: ["field", "resource"], repeatable: false, value: flag, code: "required-optional", misplacedHint: "use ? on the field to make it optional", example: "@required", emits: "nothing; only checked against `?`" }),
  tag({ name: "title", section: "Values, docs and flags", where: NODE, repeatable: false, value: text, emit: set("title"), code: "tag-value", example: "@title Short name", emits: "`title` (raw text)" }),
  tag({ name: "preserveUnknownFields", section: "Values, docs and flags", where: ANYWHERE, repeatable: false, value: flag, emit: on("x-kubernetes-preserve-unknown-fields"), code: "tag-value", example: "@preserveUnknownFields", emits: "`x-kubernetes-preserve-unknown-fields: true`" }),
  tag({ name: "embeddedResource", section: "Values, docs and flags", where: ANYWHERE, repeatable: false, value: flag, emit: on("x-kubernetes-embedded-resource"), code: "tag-value", example: "@embeddedResource", emits: "`x-kubernetes-embedded-resource: true`" }),
  tag({ name: "intOrString", section: "Values, docs and flags", where: NODE, repeatable: false, value: flag, emit: on("x-kubernetes-int-or-string"), code: "tag-value", example: "@intOrString", emits: "`x-kubernetes-int-or-string: true` (allows mixed string/number literal unions)" }),
  tag({ name: "schemaless", section: "Values, docs and flags", where: ["field"], repeatable: false, value: flag, code: "tag-value", misplacedHint: "it is a field tag in controller-gen too; put it on the fields that use this type", example: "@schemaless @preserveUnknownFields", emits: "the field has no type" }),
  tag({ name: "validation", section: "CEL", where: ANYWHERE, repeatable: true, value: rule, emit: validationRule, code: "validation-args", example: '@validation rule="self.min <= self.max" message="min must not exceed max"', emits: "an `x-kubernetes-validations` rule (checked, see below)" }),
  tag({ name: "listType", section: "Arrays", where: ANYWHERE, repeatable: false, value: word(["atomic", "set", "map"], "atomic, set or map"), targets: ARRAY, emit: set("x-kubernetes-list-type"), code: "list-map", example: "@listType set", emits: "`x-kubernetes-list-type`" }),
  tag({ name: "listMapKey", section: "Arrays", where: ANYWHERE, repeatable: true, value: fieldName, targets: ARRAY, emit: (v, out) => { (out.overlay["x-kubernetes-list-map-keys"] ??= []).push(v); }, code: "list-map", example: "@listMapKey name", emits: "`x-kubernetes-list-map-keys`" }),
  tag({ name: "mapType", section: "Objects and maps", where: ANYWHERE, repeatable: false, value: word(["atomic", "granular"], "atomic or granular"), targets: OBJECT, emit: set("x-kubernetes-map-type"), code: "tag-value", example: "@mapType atomic", emits: "`x-kubernetes-map-type`" }),
  tag({ name: "structType", section: "Objects and maps", where: ANYWHERE, repeatable: false, value: word(["atomic", "granular"], "atomic or granular"), targets: OBJECT, emit: set("x-kubernetes-map-type"), code: "tag-value", example: "@structType atomic", emits: "`x-kubernetes-map-type`" }),
  tag({ name: "immutable", section: "Values, docs and flags", where: NODE, repeatable: false, value: flag, emit: (_v, out, ctx) => { const r = { rule: "self == oldSelf", message: "field is immutable" }; ruleOrigin.set(r, ctx.at); out.rules.push(r); }, code: "tag-value", example: "@immutable", emits: "CEL `self == oldSelf`, message `field is immutable`" }),
  tag({ name: "exactlyOneOf", section: "Objects and maps", where: ANYWHERE, repeatable: true, order: 2, value: oneOfFields, targets: OBJECT, emit: oneOf, code: "one-of", example: "@exactlyOneOf url;configMap", emits: "CEL: exactly one of the fields is set" }),
  tag({ name: "atMostOneOf", section: "Objects and maps", where: ANYWHERE, repeatable: true, order: 1, value: oneOfFields, targets: OBJECT, emit: oneOf, code: "one-of", example: "@atMostOneOf url;configMap", emits: "CEL: at most one is set" }),
  tag({ name: "atLeastOneOf", section: "Objects and maps", where: ANYWHERE, repeatable: true, order: 3, value: oneOfFields, targets: OBJECT, emit: oneOf, code: "one-of", example: "@atLeastOneOf email;phone", emits: "CEL: at least one is set" }),
  // resource-level tags: read by resource-tags.ts into the CRD's settings
  tag({ name: "scope", section: "Resource", where: RESOURCE, repeatable: false, value: raw("Namespaced|Cluster"), resource: reader("scope"), code: "resource-tag", example: "@scope Cluster", emits: "`spec.scope`; must agree with PROJECT (`create api --namespaced`)" }),
  tag({ name: "plural", section: "Resource", where: RESOURCE, repeatable: false, value: raw("name"), resource: reader("plural"), code: "resource-tag", example: "@plural memcacheds", emits: "`spec.names.plural`; must equal PROJECT's plural" }),
  tag({ name: "singular", section: "Resource", where: RESOURCE, repeatable: false, value: raw("name"), resource: reader("singular"), code: "resource-tag", example: "@singular memcached", emits: "`spec.names.singular` (default: the kind, lower-case)" }),
  tag({ name: "shortName", section: "Resource", where: RESOURCE, repeatable: true, value: raw("name"), resource: reader("shortName"), code: "resource-tag", example: "@shortName mc", emits: "`spec.names.shortNames`" }),
  tag({ name: "category", section: "Resource", where: RESOURCE, repeatable: true, value: raw("name"), resource: reader("category"), code: "resource-tag", example: "@category all", emits: "`spec.names.categories`" }),
  tag({ name: "subresource", section: "Resource", where: RESOURCE, repeatable: "per-kind", value: raw("status | scale specpath=... statuspath=... [selectorpath=...]"), resource: reader("subresource"), code: "resource-tag", example: "@subresource scale specpath=.spec.replicas statuspath=.status.replicas", emits: "`subresources.status` / `subresources.scale`; the scale paths must name integer fields (the selector a string)" }),
  tag({ name: "printColumn", section: "Resource", where: RESOURCE, repeatable: true, value: raw("name=... type=... jsonPath=... [description=...] [priority=N] [format=...]"), resource: reader("printColumn"), code: "resource-tag", example: "@printColumn name=Size type=integer jsonPath=.spec.size", emits: "`additionalPrinterColumns`; `type` is integer, number, string, boolean or date and must fit the field; `format` is int32, int64, float, double, byte, date, date-time or password" }),
  tag({ name: "storageVersion", section: "Resource", where: RESOURCE, repeatable: false, value: raw(""), resource: reader("storageVersion"), code: "resource-tag", example: "@storageVersion", emits: "this version is the storage version (required on exactly one version when a kind has several)" }),
  tag({ name: "deprecatedVersion", section: "Resource", where: RESOURCE, repeatable: false, value: raw('[warning="..."]'), resource: reader("deprecatedVersion"), code: "resource-tag", example: '@deprecatedVersion warning="use v2"', emits: "`deprecated: true`, `deprecationWarning` (≤ 256 characters)" }),
  tag({ name: "unservedVersion", section: "Resource", where: RESOURCE, repeatable: false, value: raw(""), resource: reader("unservedVersion"), code: "resource-tag", example: "@unservedVersion", emits: "`served: false` (at least one version must stay served)" }),
  tag({ name: "selectableField", section: "Resource", where: RESOURCE, repeatable: true, value: raw("jsonPath=..."), resource: reader("selectableField"), code: "resource-tag", example: "@selectableField jsonPath=.spec.channel", emits: "`selectableFields` (≤ 8); a string, integer or boolean field outside `.metadata`" }),
  tag({ name: "skipVersion", section: "Resource", where: RESOURCE, repeatable: false, value: raw(""), resource: reader("skipVersion"), code: "resource-tag", example: "@skipVersion", emits: "this version is left out of the CRD (controller-gen's `skipversion`, for internal versions); not allowed on a kind's only version" }),
  tag({ name: "label", section: "Resource", where: RESOURCE, repeatable: true, value: raw("key=value"), resource: reader("label"), code: "resource-tag", example: "@label app.kubernetes.io/part-of=shop", emits: "a label on the CRD (controller-gen's `metadata:labels`); key and value must be valid label syntax" }),
  tag({ name: "annotation", section: "Resource", where: RESOURCE, repeatable: true, value: raw("key=value"), resource: reader("annotation"), code: "resource-tag", example: "@annotation example.com/owner=platform", emits: "an annotation on the CRD" }),
  // controller tags: read by src/manifests/rbac.ts
  tag({ name: "rbac", section: "Controllers", where: ["controller"], repeatable: true, value: raw("groups=<g;g> resources=<r;r> verbs=<v;v> [resourceNames=<n;n>] [namespace=<ns>] | urls=</p;/p> verbs=<v;v>"), code: "rbac", misplacedHint: "in src/controllers; schema types take no RBAC rules", example: "@rbac groups=apps resources=deployments verbs=get;list;watch", emits: "a rule in `config/rbac/role.yaml`" }),
  // webhook tags: read by src/manifests/webhooks.ts
  tag({ name: "webhook", section: "Webhooks", where: ["webhook"], repeatable: true, value: raw("path=/p mutating=true|false name=n groups=<g;g> resources=<r;r> verbs=<v;v> versions=<v;v> [failurePolicy=Fail|Ignore] [sideEffects=None|NoneOnDryRun] [admissionReviewVersions=v1] [matchPolicy=Exact|Equivalent] [timeoutSeconds=1..30] [reinvocationPolicy=Never|IfNeeded]"), code: "webhook", misplacedHint: "in src/webhooks, on the exported hooks object", example: "@webhook path=/validate-cache-example-com-v1alpha1-memcached mutating=false failurePolicy=Fail sideEffects=None groups=cache.example.com resources=memcacheds verbs=create;update versions=v1alpha1 name=vmemcached-v1alpha1.kb.io admissionReviewVersions=v1", emits: "a webhook in `config/webhook/manifests.yaml` (controller-gen's `+kubebuilder:webhook` fields)" }),
];

/** Plain documentation tags that tsop ignores wherever they stand. */
export const DOC_TAGS: readonly string[] = ["deprecated", "see", "since", "remarks", "link", "todo", "module", "internal"];

/** Tags users bring from other tools, refused with the tsop way to say it. */
export const REFUSED: Readonly<Record<string, string>> = {
  uniqueItems: "the apiserver rejects uniqueItems; use @listType set",
  enum: "write the allowed values as a literal union type, e.g. \"a\" | \"b\"",
  type: "write the TypeScript type instead; @wireType for a value with its own serialization, @schemaless with @preserveUnknownFields for free-form data",
};

const BY_NAME = new Map(TAGS.map((t) => [t.name, t]));

/** The spec of a tag by name. */
export function tagSpec(name: string): TagSpec | undefined {
  return BY_NAME.get(name);
}

/** Names of the tags allowed at `where`, in table order. */
export function tagsAllowedAt(where: TagWhere): string[] {
  return TAGS.filter((t) => t.where.includes(where)).map((t) => t.name);
}

/** Names of the tags that may be given any number of times at `where`. */
export function repeatableAt(where: TagWhere): string[] {
  return TAGS.filter((t) => t.repeatable === true && t.where.includes(where)).map((t) => t.name);
}

/** A context for one tag on one node; `bad` reports with the tag's code. */
export function tagContext(set: TagSet, t: RawTag, spec: TagSpec, target: JSONSchemaProps, diags: Diagnostics): TagContext {
  const at = tagPos(set, t);
  const vat = tagPos(set, t, true);
  return {
    set, tag: t, target, kind: schemaKind(target), diags, at, vat,
    bad: (message, hint, where) => diags.error(spec.code, message, where ?? vat, hint),
  };
}
