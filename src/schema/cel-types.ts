/**
 * Type-checks CEL rules against the schema they sit on, the way kube-apiserver does at CRD creation:
 * `self` (and `oldSelf`) get the CEL type of the node's schema (objects as declared types, maps,
 * lists, int-or-string as dyn, date-time/duration/byte strings as timestamp/duration/bytes), the
 * Kubernetes CEL libraries and macros are declared, the rule must be a bool, a messageExpression a
 * string, the apiserver's compile-time validators run (cel-validators.ts) and the cost is estimated
 * (cel-cost.ts). Built on @marcbachmann/cel-js's checker. @module
 */
import { Environment, type ASTNode } from "@marcbachmann/cel-js";
import type { JSONSchemaProps, ValidationRule } from "./json-schema.js";
import { declareEquality, registerKubernetesLibraries } from "./cel-libraries.js";
import { estimateCostDetail, PER_EXPRESSION_LIMIT, U64 } from "./cel-cost.js";
import { registerKubernetesMacros } from "./cel-macros.js";
import { validateCheckedAst } from "./cel-validators.js";
import { celName } from "./rules.js";

/** A type problem in one rule. */
export interface CelTypeProblem { message: string; hint?: string }

let base: Environment | undefined;

/** The environment with the Kubernetes CEL libraries, shared; each rule checks in a clone. */
function baseEnv(): Environment {
  if (!base) {
    // Mixed list/map literals type as list(dyn)/map(.., dyn) as in cel-go; cel-validators.ts then
    // refuses them outside format() as the apiserver's homogeneous-literal validator does.
    const e = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
    registerKubernetesLibraries(e);
    registerKubernetesMacros(e);
    base = e;
  }
  return base;
}

/** Declares a CEL type for each schema node it is asked about (objects become message types). */
class TypeNamer {
  private n = 0;
  /** `used`: the identifiers of the expression; fields it never names are declared dyn (their subtree is not declared). */
  constructor(private readonly env: Environment, private readonly prefix: string, private readonly used: ReadonlySet<string>) {}

  /** The CEL type of a schema node. `root` marks the resource root (metadata is name/generateName only). */
  of(s: JSONSchemaProps, root = false): string {
    if (s["x-kubernetes-int-or-string"]) return "dyn";
    if (s["x-kubernetes-preserve-unknown-fields"] && !s.type) return "dyn";
    switch (s.type) {
      case "string":
        if (s.format === "byte") return "bytes";
        if (s.format === "duration") return "google.protobuf.Duration";
        if (s.format === "date-time" || s.format === "date") return "google.protobuf.Timestamp";
        return "string";
      case "integer": return "int";
      case "number": return "double";
      case "boolean": return "bool";
      case "array": return `list<${s.items ? this.of(s.items) : "dyn"}>`;
      case "object": {
        if (s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties) return `map<string, ${this.of(s.additionalProperties)}>`;
        const fields: Record<string, string> = {};
        const props = { ...(s.properties ?? {}) };
        if (root || s["x-kubernetes-embedded-resource"]) {
          props.apiVersion ??= { type: "string" };
          props.kind ??= { type: "string" };
          props.metadata = { type: "object", properties: { name: { type: "string" }, generateName: { type: "string" } } };
        }
        for (const [k, p] of Object.entries(props)) fields[celName(k)] = this.used.has(celName(k)) ? this.of(p) : "dyn";
        const name = `${this.prefix}.Object${this.n++}`;
        this.env.registerType({ name, schema: fields });
        declareEquality(this.env, name);
        return name;
      }
      default:
        return "dyn";
    }
  }
}

/** The first line of a checker error, without the source excerpt cel-js appends. */
function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n")[0]!.trim();
}

/** The estimated costs of a rule as the apiserver counts them against its limits. */
export interface RuleCosts {
  /** The rule's maximum cost times how many times it can run per object (0 when it does not compile). */
  rule: number;
  /** The messageExpression's maximum cost (not multiplied; 0 when absent or not compiling). */
  messageExpression: number;
}

/** Problems of one rule and its costs. */
export interface RuleAnalysis { problems: CelTypeProblem[]; costs: RuleCosts }

/** One expression compiled as the apiserver does: parsed, type-checked, validated; its AST when it compiles. */
function compile(expr: string, node: JSONSchemaProps, root: boolean, optionalOldSelf: boolean): { ast?: ASTNode; type?: string; error?: string } {
  const env = baseEnv().clone();
  const selfType = new TypeNamer(env, "tsop", identifiers(expr)).of(node, root);
  env.registerVariable("self", selfType);
  if (/\boldSelf\b/.test(expr)) env.registerVariable("oldSelf", optionalOldSelf ? `optional<${selfType}>` : selfType);
  let parsed;
  try {
    parsed = env.parse(expr);
  } catch (e) {
    return { error: firstLine(e) };
  }
  const r = parsed.check();
  if (!r.valid) return { error: firstLine(r.error) };
  const invalid = validateCheckedAst(parsed.ast);
  if (invalid.length) return { error: invalid[0]! };
  return { ast: parsed.ast, type: r.type! };
}

/** Where a rule sits, for the fixes cost problems suggest. */
export interface RulePlace {
  /** The node's path in the schema (`spec.items[]`), naming `self`. */
  path: string;
  /** The enclosing list or map without a size limit that multiplies the rule's cost, if any. */
  unboundedAbove?: string | undefined;
}

/**
 * Type-checks a rule and its messageExpression with `self` typed by `node` and estimates their
 * costs. `root` is true for a rule on the resource root (or an embedded resource); `cardinality` is
 * how many times it can run per object (cel-decl.ts ruleCardinality).
 */
export function analyzeRule(rule: ValidationRule, node: JSONSchemaProps, root = false, cardinality = 1, place: RulePlace = { path: "self" }): RuleAnalysis {
  const out: CelTypeProblem[] = [];
  const costs: RuleCosts = { rule: 0, messageExpression: 0 };
  const r = compile(rule.rule, node, root, !!rule.optionalOldSelf);
  if (r.error !== undefined) out.push({ message: `CEL rule does not type-check: ${r.error}`, hint: typeHint(r.error) });
  else if (r.type !== "bool" && r.type !== "dyn") out.push({ message: `CEL rule evaluates to ${r.type}, but a rule must be a bool`, hint: "make the rule a condition, e.g. self.x > 0" });
  else {
    const e = estimateCostDetail(r.ast!, node, root, place.path);
    costs.rule = Math.min(e.cost * cardinality, U64);
    costProblem("rule", costs.rule, cardinality, out, fixes(e.unbounded, place.unboundedAbove));
  }
  if (rule.messageExpression !== undefined) {
    const m = compile(rule.messageExpression, node, root, !!rule.optionalOldSelf);
    if (m.error !== undefined) out.push({ message: `CEL messageExpression does not type-check: ${m.error}`, hint: typeHint(m.error) });
    else if (m.type !== "string" && m.type !== "dyn") out.push({ message: `CEL messageExpression evaluates to ${m.type}, but it must be a string`, hint: "e.g. messageExpression=\"'got ' + string(self.x)\"" });
    else {
      // The apiserver does not multiply a messageExpression's cost by the rule's cardinality.
      const e = estimateCostDetail(m.ast!, node, root, place.path);
      costs.messageExpression = e.cost;
      costProblem("messageExpression", costs.messageExpression, 1, out, fixes(e.unbounded, undefined));
    }
  }
  return { problems: out, costs };
}

/** How far over a limit a cost is, worded as the apiserver words it. */
export function overBy(cost: number, limit: number): string {
  const f = cost / limit;
  return f > 100 ? "more than 100x" : `${f.toFixed(f < 1.5 ? 6 : 1)}x`;
}

/** The tags that would bound what an expression's cost was sized by, as a fix. */
function fixes(unbounded: string[], above: string | undefined): string[] {
  return [...(above ? [`@maxItems/@maxProperties on ${above}`] : []), ...unbounded];
}

/** A problem when an expression's estimated cost is over the apiserver's per-expression limit. */
function costProblem(what: string, cost: number, cardinality: number, out: CelTypeProblem[], fix: string[]): void {
  if (cost <= PER_EXPRESSION_LIMIT) return;
  const runs = cardinality > 1 ? ` (its cost times the ${cardinality} times it can run per object)` : "";
  out.push({
    message: `estimated ${what} cost${runs} exceeds the apiserver's budget of ${PER_EXPRESSION_LIMIT} by a factor of ${overBy(cost, PER_EXPRESSION_LIMIT)}`,
    hint: fix.length
      ? `sized by the 3 MiB request limit alone: add ${fix.join(", ")}; or lower the bounds, or simplify the rule`
      : "lower @maxItems, @maxProperties or @maxLength where the rule iterates or works on strings (and on the lists or maps around it), or simplify the rule",
  });
}

/** A fix for a type error, by its kind. */
function typeHint(message: string): string {
  if (/found no matching overload for '[\w.]+\(/.test(message)) return "check the function or method name and its argument types; the apiserver offers the standard library plus strings, lists, regex, url, quantity, ip, cidr, format, semver and sets";
  if (/No such key|Unknown variable/.test(message)) return "use self, oldSelf and fields the schema declares";
  return "compare and combine values of the same type; see the field types in the schema";
}

/** The identifier-like words of an expression (a superset of the field names it selects). */
function identifiers(expr: string): Set<string> {
  return new Set(expr.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}
