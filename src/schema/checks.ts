/** Checks a finished root schema the way the apiserver will: root rules, transition rules, CEL cost hints. @module */
import type { Diagnostics, SourcePos } from "./diagnostics.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { reportedRules, ruleOrigin } from "./rules.js";
import { analyzeRule, overBy } from "./cel-types.js";
import { formatCost, PER_CRD_LIMIT, PER_EXPRESSION_LIMIT, U64 } from "./cel-cost.js";
import { elementBound, ruleCardinality } from "./cel-decl.js";

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
  /** The product of the enclosing lists' maxItems and maps' maxProperties; undefined when one has none. */
  enclosing: number | undefined;
  /** Inside a list that cannot correlate old and new items (not listType=map). */
  uncorrelated: boolean;
  /** Inside an array or map without maxItems/maxProperties. */
  unbounded: string | undefined;
}

/** One expression's share of the schema's total estimated CEL cost. */
interface CostShare { cost: number; what: string; at: SourcePos }

/** Runs every post-conversion check on a root schema. */
export function checkSchema(root: JSONSchemaProps, ctx: CheckContext): void {
  for (const k of ["allOf", "anyOf", "oneOf", "nullable", "additionalProperties"] as const) {
    if (root[k] !== undefined) ctx.diags.error("structural", `the resource's root schema cannot use ${k}`, ctx.at, "move the constraint onto spec or status");
  }
  const shares: CostShare[] = [];
  walk(root, { path: "", enclosing: 1, uncorrelated: false, unbounded: undefined }, ctx, shares);
  checkTotalCost(shares, ctx);
}

/**
 * The apiserver's limit on the estimated cost of all rules of one version's schema (each rule's cost
 * times its cardinality, plus each messageExpression's cost). Reported at the rules that contribute
 * at least 1% of the limit, the 4 most expensive first, as the apiserver lists them.
 */
function checkTotalCost(shares: CostShare[], ctx: CheckContext): void {
  const total = Math.min(shares.reduce((t, x) => t + x.cost, 0), U64);
  if (total <= PER_CRD_LIMIT) return;
  // Rules over the per-expression limit are reported already; the total is its own problem only if
  // it stays over when each of them is brought down to that limit.
  if (shares.reduce((t, x) => t + Math.min(x.cost, PER_EXPRESSION_LIMIT), 0) <= PER_CRD_LIMIT) return;
  const big = shares.filter((x) => x.cost >= PER_CRD_LIMIT / 100).sort((a, b) => b.cost - a.cost).slice(0, 4);
  const head = `the estimated cost of all CEL rules of the schema (${formatCost(total)}) exceeds the apiserver's budget of ${PER_CRD_LIMIT} for one version by a factor of ${overBy(total, PER_CRD_LIMIT)}`;
  const hint = "add @maxItems, @maxProperties and @maxLength to the lists, maps and strings these rules iterate or run under, or simplify the rules";
  if (!big.length) ctx.diags.error("cel", head, ctx.at, hint);
  for (const b of big) ctx.diags.error("cel", `${head}; ${b.what} contributes ${formatCost(b.cost)}`, b.at, hint);
}

function walk(s: JSONSchemaProps, w: Walk, ctx: CheckContext, shares: CostShare[]): void {
  const where = w.path || "the root";
  for (const r of s["x-kubernetes-validations"] ?? []) {
    const at = ruleOrigin.get(r) ?? ctx.at;
    // Types and cost on the final node (bounds of the field and its type merged), as the apiserver
    // checks them; rules whose syntax or field names were already reported are skipped.
    if (!reportedRules.has(r)) {
      const node: JSONSchemaProps = { ...s };
      delete node["x-kubernetes-validations"];
      const root = w.path === "" || !!s["x-kubernetes-embedded-resource"];
      const a = analyzeRule(r, node, root, ruleCardinality(w.enclosing, node, root), { path: w.path || "self", unboundedAbove: w.unbounded?.replace(/^the (list|map) /, "") });
      for (const p of a.problems) ctx.diags.error("cel", `the rule "${r.rule}" at ${where}: ${p.message}`, at, p.hint);
      if (a.costs.rule) shares.push({ cost: a.costs.rule, what: `the rule "${r.rule}" at ${where}`, at });
      if (a.costs.messageExpression) shares.push({ cost: a.costs.messageExpression, what: `the messageExpression of the rule "${r.rule}" at ${where}`, at });
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
  for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, { ...w, path: w.path ? `${w.path}.${k}` : k }, ctx, shares);
  const bound = elementBound(s);
  const enclosing = w.enclosing === undefined || bound === undefined ? undefined : Math.min(w.enclosing * bound, U64);
  if (s.items) {
    const listType = s["x-kubernetes-list-type"];
    walk(s.items, {
      path: `${w.path}[]`,
      enclosing,
      uncorrelated: w.uncorrelated || listType !== "map",
      unbounded: w.unbounded ?? (s.maxItems === undefined ? `the list ${where}` : undefined),
    }, ctx, shares);
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    walk(s.additionalProperties, { ...w, path: `${w.path}[*]`, enclosing, unbounded: w.unbounded ?? (s.maxProperties === undefined ? `the map ${where}` : undefined) }, ctx, shares);
  }
}
