/** Checks a finished root schema the way the apiserver will: root rules, transition rules, CEL cost hints. @module */
import type { Diagnostics, SourcePos } from "./diagnostics.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { reportedRules, ruleOrigin } from "./rules.js";
import { typeCheckRule } from "./cel-types.js";
import { cardinality, maxCount } from "./cel-cost.js";

/** Context of a check run. */
export interface CheckContext {
  diags: Diagnostics;
  /** Where to report problems found after conversion (the resource declaration). */
  at: SourcePos;
  /** Whether the status subresource is on (restricts root keywords). */
  status: boolean;
}

interface Walk {
  path: string;
  /** The product of the sizes of the enclosing lists and maps. */
  enclosing: number;
  /** Inside a list that cannot correlate old and new items (not listType=map). */
  uncorrelated: boolean;
  /** Inside an array or map without maxItems/maxProperties. */
  unbounded: string | undefined;
}

/** Runs every post-conversion check on a root schema. */
export function checkSchema(root: JSONSchemaProps, ctx: CheckContext): void {
  for (const k of ["allOf", "anyOf", "oneOf", "nullable", "additionalProperties"] as const) {
    if (root[k] !== undefined) ctx.diags.error("structural", `the resource's root schema cannot use ${k}`, ctx.at, "move the constraint onto spec or status");
  }
  walk(root, { path: "", enclosing: 1, uncorrelated: false, unbounded: undefined }, ctx);
}

function walk(s: JSONSchemaProps, w: Walk, ctx: CheckContext): void {
  const where = w.path || "the root";
  for (const r of s["x-kubernetes-validations"] ?? []) {
    const at = ruleOrigin.get(r) ?? ctx.at;
    // Types and cost on the final node (bounds of the field and its type merged), as the apiserver
    // checks them; rules whose syntax or field names were already reported are skipped.
    if (!reportedRules.has(r)) {
      const node: JSONSchemaProps = { ...s };
      delete node["x-kubernetes-validations"];
      for (const p of typeCheckRule(r, node, w.path === "", cardinality(w.enclosing, node))) ctx.diags.error("cel", `the rule "${r.rule}" at ${where}: ${p.message}`, at, p.hint);
    }
    if (/\boldSelf\b/.test(r.rule) && w.uncorrelated) {
      ctx.diags.error("cel", `the rule "${r.rule}" at ${where} uses oldSelf inside a list whose items cannot be matched between updates`, at, "make the enclosing list @listType map with @listMapKey, or drop the transition rule");
    }
    if (s.type === "array" && s.maxItems === undefined && /\bself\s*\.\s*(all|exists|exists_one|map|filter)\s*\(/.test(r.rule)) {
      ctx.diags.warn(`the rule "${r.rule}" at ${where} iterates over a list with no size limit; the apiserver may reject it as too expensive (add @maxItems)`, at);
    }
    if (w.unbounded) ctx.diags.warn(`the rule "${r.rule}" at ${where} runs for every item of ${w.unbounded}, which has no size limit; the apiserver may reject it as too expensive (add @maxItems/@maxProperties)`, at);
  }
  if (s["x-kubernetes-embedded-resource"] && s.type === "object" && !s.properties && !s["x-kubernetes-preserve-unknown-fields"]) {
    ctx.diags.error("structural", `${where} embeds a resource but has neither fields nor @preserveUnknownFields`, ctx.at, "add @preserveUnknownFields");
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, { ...w, path: w.path ? `${w.path}.${k}` : k }, ctx);
  if (s.items) {
    const listType = s["x-kubernetes-list-type"];
    walk(s.items, {
      path: `${w.path}[]`,
      enclosing: w.enclosing * maxCount(s),
      uncorrelated: w.uncorrelated || listType !== "map",
      unbounded: w.unbounded ?? (s.maxItems === undefined ? `the list ${where}` : undefined),
    }, ctx);
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    walk(s.additionalProperties, { ...w, path: `${w.path}[*]`, enclosing: w.enclosing * maxCount(s), unbounded: w.unbounded ?? (s.maxProperties === undefined ? `the map ${where}` : undefined) }, ctx);
  }
}
