/**
 * Type-checks CEL rules against the schema they sit on, the way kube-apiserver does at CRD creation:
 * `self` (and `oldSelf`) get the CEL type of the node's schema (objects as declared types, maps,
 * lists, int-or-string as dyn, date-time/duration/byte strings as timestamp/duration/bytes), the
 * Kubernetes CEL libraries are declared, and the rule must be a bool, a messageExpression a string.
 * Built on @marcbachmann/cel-js's checker. @module
 */
import { Environment } from "@marcbachmann/cel-js";
import type { JSONSchemaProps, ValidationRule } from "./json-schema.js";
import { declareEquality, registerKubernetesLibraries } from "./cel-libraries.js";
import { estimateCost, PER_EXPRESSION_LIMIT } from "./cel-cost.js";
import { checkRule } from "./cel.js";
import { celName } from "./rules.js";

/** A type problem in one rule. */
export interface CelTypeProblem { message: string; hint?: string }

let base: Environment | undefined;

/** The environment with the Kubernetes CEL libraries, shared; each rule checks in a clone. */
function baseEnv(): Environment {
  if (!base) {
    const e = new Environment({ enableOptionalTypes: true });
    registerKubernetesLibraries(e);
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

/**
 * Type-checks a rule and its messageExpression with `self` typed by `node`. `root` is true for a
 * rule on the resource root; `runs` is how many times it can run per object (see cel-cost.ts). Returns problems (empty when the apiserver would accept the types).
 */
export function typeCheckRule(rule: ValidationRule, node: JSONSchemaProps, root = false, runs = 1): CelTypeProblem[] {
  const env = baseEnv().clone();
  const selfType = new TypeNamer(env, "tsop", identifiers(rule.rule)).of(node, root);
  env.registerVariable("self", selfType);
  const transition = /\boldSelf\b/.test(rule.rule);
  if (transition) env.registerVariable("oldSelf", rule.optionalOldSelf ? `optional<${selfType}>` : selfType);
  const out: CelTypeProblem[] = [];
  const r = env.check(rule.rule);
  if (!r.valid) out.push({ message: `CEL rule does not type-check: ${firstLine(r.error)}`, hint: typeHint(firstLine(r.error)) });
  else if (r.type !== "bool" && r.type !== "dyn") out.push({ message: `CEL rule evaluates to ${r.type}, but a rule must be a bool`, hint: "make the rule a condition, e.g. self.x > 0" });
  else costProblem("rule", rule.rule, env, node, runs, out);
  if (rule.messageExpression !== undefined) {
    const env2 = baseEnv().clone();
    const t2 = new TypeNamer(env2, "tsop", identifiers(rule.messageExpression)).of(node, root);
    env2.registerVariable("self", t2);
    if (/\boldSelf\b/.test(rule.messageExpression)) env2.registerVariable("oldSelf", t2);
    const m = env2.check(rule.messageExpression);
    if (!m.valid) out.push({ message: `CEL messageExpression does not type-check: ${firstLine(m.error)}` });
    else if (m.type !== "string" && m.type !== "dyn") out.push({ message: `CEL messageExpression evaluates to ${m.type}, but it must be a string`, hint: "e.g. messageExpression=\"'got ' + string(self.x)\"" });
    else costProblem("messageExpression", rule.messageExpression, env2, node, runs, out);
  }
  return out;
}

/**
 * Everything tsop checks of one rule on its final schema node: syntax, field names, has() and
 * optionalOldSelf use (cel.ts), then types. Empty when the apiserver would accept the rule.
 */
export function checkCelRule(rule: ValidationRule, node: JSONSchemaProps, root = false, runs = 1): CelTypeProblem[] {
  const first = checkRule(rule, node);
  return first.length ? first : typeCheckRule(rule, node, root, runs);
}

/** The estimated cost of one expression, when over the apiserver's per-expression limit. */
function costProblem(what: string, expr: string, env: Environment, node: JSONSchemaProps, runs: number, out: CelTypeProblem[]): void {
  // As the apiserver does, the limit holds for the cost times the number of times the rule runs.
  const cost = estimateCost(env.parse(expr).ast, node) * runs;
  if (cost <= PER_EXPRESSION_LIMIT) return;
  out.push({
    message: `estimated ${what} cost exceeds the apiserver's budget${cost > 100 * PER_EXPRESSION_LIMIT ? " by more than 100x" : ""}`,
    hint: "add @maxItems, @maxProperties and @maxLength where the rule iterates or works on strings, or simplify the rule",
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
