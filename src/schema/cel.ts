/** Parses CEL rules and checks that every `self.x` path they use exists in the schema. @module */
import { Environment, type ASTNode } from "@marcbachmann/cel-js";
import { didYouMean } from "./diagnostics.js";
import type { JSONSchemaProps, ValidationRule } from "./json-schema.js";

let env: Environment | undefined;
function celEnv(): Environment {
  env ??= new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
  return env;
}

const MACROS = new Set(["all", "exists", "exists_one", "existsOne", "map", "filter", "sortBy", "transformList", "transformMap", "transformMapEntry"]);
/** Macros that take two variables (index or key, then element or value) when called with three or four arguments. */
const TWO_VAR = new Set(["all", "exists", "exists_one", "existsOne", "transformList", "transformMap", "transformMapEntry"]);
/** Identifiers a Kubernetes CEL rule may use without declaring them. */
const GLOBALS = new Set(["self", "oldSelf", "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn", "duration", "timestamp", "optional", "math", "strings", "sets", "cel", "quantity", "url", "ip", "cidr", "semver", "format", "lists", "base64"]);

/** A problem in one rule. */
export interface CelProblem { message: string; hint?: string }

/** Unescapes a CEL-escaped property name back to the JSON name. */
function unescape(name: string): string {
  const kw = /^__(\w+)__$/.exec(name);
  if (kw && !["underscores", "dot", "dash", "slash"].includes(kw[1]!)) return kw[1]!;
  return name.replace(/__dash__/g, "-").replace(/__dot__/g, ".").replace(/__slash__/g, "/").replace(/__underscores__/g, "__");
}

type Scope = Map<string, JSONSchemaProps | undefined>;

/** Checks one rule against the schema `self` has; returns problems (empty when fine). */
export function checkRule(rule: ValidationRule, self: JSONSchemaProps): CelProblem[] {
  const problems: CelProblem[] = [];
  let ast: ASTNode;
  try {
    ast = celEnv().parse(rule.rule).ast;
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0] ?? "syntax error";
    return [{ message: `CEL rule does not parse: ${msg}`, hint: "see https://kubernetes.io/docs/reference/using-api/cel/" }];
  }
  for (const k of ["messageExpression"] as const) {
    const m = rule[k];
    if (m === undefined) continue;
    try { celEnv().parse(m); } catch (e) { problems.push({ message: `CEL ${k} does not parse: ${(e as Error).message.split("\n")[0]}` }); }
  }
  let usesOldSelf = false;
  const scope: Scope = new Map([["self", self], ["oldSelf", self]]);
  const walk = (n: ASTNode, sc: Scope): JSONSchemaProps | undefined => {
    switch (n.op) {
      case "id": {
        if (n.args === "oldSelf") usesOldSelf = true;
        if (sc.has(n.args)) return sc.get(n.args);
        if (!GLOBALS.has(n.args)) problems.push({ message: `CEL rule uses unknown variable ${n.args}`, hint: "rules can use self, oldSelf and variables bound by macros such as self.items.all(x, ...)" });
        return undefined;
      }
      case ".": case ".?": {
        const [target, field] = n.args as [ASTNode, string];
        const t = walk(target, sc);
        return t ? member(t, field, problems) : undefined;
      }
      case "rcall": {
        const [name, target, args] = n.args as [string, ASTNode, ASTNode[]];
        const t = walk(target, sc);
        const v = args[0];
        if (MACROS.has(name) && v?.op === "id" && args.length >= 2) {
          const inner = new Map(sc);
          const w = args[1];
          if (TWO_VAR.has(name) && args.length >= 3 && w?.op === "id") {
            inner.set(v.args as string, t?.type === "array" ? { type: "integer" } : t ? { type: "string" } : undefined);
            inner.set(w.args as string, t ? valueOf(t) : undefined);
            for (const a of args.slice(2)) walk(a, inner);
            return undefined;
          }
          inner.set(v.args as string, t ? elementOf(t) : undefined);
          for (const a of args.slice(1)) walk(a, inner);
          return undefined;
        }
        for (const a of args) walk(a, sc);
        return undefined;
      }
      case "call": {
        const [fn, args] = n.args as [string, ASTNode[]];
        if (fn === "has" && (args.length !== 1 || (args[0]!.op !== "." && args[0]!.op !== ".?"))) {
          problems.push({ message: "has() needs a field selection, e.g. has(self.field)", hint: "with optionalOldSelf, test oldSelf.hasValue() instead of has(oldSelf)" });
        }
        for (const a of args) walk(a, sc);
        return undefined;
      }
      case "value": return undefined;
      case "[]": case "[?]": {
        const [a, b] = n.args as [ASTNode, ASTNode];
        const t = walk(a, sc);
        walk(b, sc);
        if (t?.type === "object" && t.additionalProperties && !t.properties && b.op === "value" && typeof b.args !== "string") {
          problems.push({ message: `CEL rule indexes a map with ${String(b.args)}, but map keys are strings`, hint: "quote the key, e.g. self.m['key']" });
        }
        return t ? elementOf(t) : undefined;
      }
      case "list": for (const a of n.args as ASTNode[]) walk(a, sc); return undefined;
      case "map": for (const [a, b] of n.args as [ASTNode, ASTNode][]) { walk(a, sc); walk(b, sc); } return undefined;
      default: {
        const args = n.args as unknown;
        const list: unknown[] = Array.isArray(args) ? args : [args];
        for (const a of list) {
          if (a && typeof a === "object" && "op" in a) walk(a as ASTNode, sc);
        }
        return undefined;
      }
    }
  };
  walk(ast, scope);
  if (rule.optionalOldSelf && !usesOldSelf) problems.push({ message: "optionalOldSelf is set but the rule does not use oldSelf", hint: "remove optionalOldSelf" });
  return problems;
}

/** Whether a rule is a transition rule (uses oldSelf). */
export function usesOldSelf(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

function elementOf(s: JSONSchemaProps): JSONSchemaProps | undefined {
  if (s.type === "array") return s.items;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object") return { type: "string" };
  return undefined;
}

/** A list's items or a map's values. */
function valueOf(s: JSONSchemaProps): JSONSchemaProps | undefined {
  if (s.type === "array") return s.items;
  if (s.type === "object" && s.additionalProperties && typeof s.additionalProperties === "object") return s.additionalProperties;
  return undefined;
}

/** An embedded resource as CEL sees it: apiVersion, kind and metadata.name/generateName are always there. */
function withResourceFields(s: JSONSchemaProps): JSONSchemaProps {
  const metadata: JSONSchemaProps = { type: "object", properties: { name: { type: "string" }, generateName: { type: "string" } } };
  return { ...s, properties: { apiVersion: { type: "string" }, kind: { type: "string" }, ...(s.properties ?? {}), metadata } };
}

function member(node: JSONSchemaProps, escaped: string, problems: CelProblem[]): JSONSchemaProps | undefined {
  const s = node["x-kubernetes-embedded-resource"] && node.type === "object" ? withResourceFields(node) : node;
  if (!s["x-kubernetes-int-or-string"] && (s.type === "string" || s.type === "integer" || s.type === "number" || s.type === "boolean" || s.type === "array")) {
    problems.push({ message: `CEL rule selects .${escaped} on a ${s.type === "array" ? "list" : s.type}, which has no fields`, hint: "select fields of objects only" });
    return undefined;
  }
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.properties) {
    if (s.type !== "object") return undefined;
    problems.push({ message: `CEL rule refers to field ${escaped} of an object with @preserveUnknownFields and no declared fields`, hint: "the apiserver types such objects without fields; declare the field in the type" });
    return undefined;
  }
  if (s["x-kubernetes-preserve-unknown-fields"]) return undefined;
  if (s.type === "object" && s.additionalProperties !== undefined && !s.properties) {
    return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
  }
  if (s.type !== "object" || !s.properties) return undefined;
  const name = unescape(escaped);
  const p = s.properties[name];
  if (p) return p;
  const names = Object.keys(s.properties);
  const g = didYouMean(name, names);
  problems.push({ message: `CEL rule refers to field ${escaped}, which this object does not have`, hint: g ? `did you mean ${g}?` : `fields: ${names.join(", ")}` });
  return undefined;
}
