/** `@validation` parsing and the CEL rules tsop generates (one-of tags, escaped names). @module */
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import type { ValidationRule } from "./json-schema.js";
import { parseArgs } from "./tag-values.js";
import { tagPos, type TagSet } from "./tag-set.js";
import type { SourcePos } from "./diagnostics.js";

/** Where each rule object came from (its tag), for checks that run on the finished schema. */
export const ruleOrigin = new WeakMap<ValidationRule, SourcePos>();

/** Rules already reported as not parsing or naming missing fields (not type-checked again). */
export const reportedRules = new WeakSet<ValidationRule>();

const REASONS = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"];
const RULE_KEYS = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"];

/** Parses `@validation rule="..." message="..." ...` into a rule (CEL is checked later). */
export function parseRule(set: TagSet, t: RawTag, diags: Diagnostics): ValidationRule | undefined {
  const vat = tagPos(set, t, true);
  const a = parseArgs(t.value);
  if (a.error) { diags.error("validation-args", `@validation: ${a.error}`, vat, 'write @validation rule="self.x > 0" message="..."'); return undefined; }
  for (const k of a.args.keys()) {
    if (!RULE_KEYS.includes(k)) {
      const g = didYouMean(k, RULE_KEYS);
      diags.error("validation-args", `@validation: unknown argument ${k}`, { ...vat, pos: vat.pos + (a.offsets.get(k) ?? 0) }, g ? `did you mean ${g}?` : `arguments: ${RULE_KEYS.join(", ")}`);
      return undefined;
    }
  }
  const rule = a.args.get("rule");
  if (typeof rule !== "string" || !rule.trim()) { diags.error("validation-args", "@validation needs rule=\"<CEL expression>\"", vat); return undefined; }
  const out: ValidationRule = { rule };
  for (const k of ["message", "messageExpression", "fieldPath"] as const) {
    const v = a.args.get(k);
    if (v === undefined) continue;
    if (typeof v !== "string" || !v.trim()) { diags.error("validation-args", `@validation: ${k} must be non-empty text`, vat); return undefined; }
    if (k !== "messageExpression" && v.includes("\n")) { diags.error("validation-args", `@validation: ${k} must be one line`, vat); return undefined; }
    out[k] = v;
  }
  const reason = a.args.get("reason");
  if (reason !== undefined) {
    if (typeof reason !== "string" || !REASONS.includes(reason)) { diags.error("validation-args", `@validation: invalid reason ${String(reason)}`, vat, `valid reasons: ${REASONS.join(", ")}`); return undefined; }
    out.reason = reason;
  }
  if (a.args.has("optionalOldSelf")) {
    const v = a.args.get("optionalOldSelf");
    if (v !== true && v !== "true" && v !== "false") { diags.error("validation-args", "@validation: optionalOldSelf is a flag", vat); return undefined; }
    if (v !== "false") out.optionalOldSelf = true;
  }
  if (rule.includes("\n") && !out.message) { diags.error("validation-args", "@validation: a multi-line rule needs a message", vat); return undefined; }
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
