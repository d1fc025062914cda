/**
 * A static estimate of a CEL rule's worst-case cost, modelled on the apiserver's (cel-go's estimator
 * with the schema's maxItems/maxProperties/maxLength, and sizes bounded by the 3 MiB request limit
 * where the schema sets none). Coarse: it follows the shape of the estimate (iterations times the
 * cost of their body, string operations proportional to length, unbounded results of conversions),
 * not every constant; docs/schema.md lists where it is known to differ. @module
 */
import type { ASTNode } from "@marcbachmann/cel-js";
import type { JSONSchemaProps } from "./json-schema.js";

/** The apiserver's limit on one expression's estimated cost (StaticEstimatedCostLimit). */
export const PER_EXPRESSION_LIMIT = 10_000_000;
/** The apiserver's limit on the estimated cost of all rules of a CRD (StaticEstimatedCRDCostLimit). */
export const PER_CRD_LIMIT = 100_000_000;
/** Request size limit the apiserver bounds unlimited values by (3 MiB). */
const MAX_REQUEST = 3 * 1024 * 1024;
const UNBOUNDED = Number.POSITIVE_INFINITY;

interface Est { cost: number; size: number; node?: JSONSchemaProps | undefined }

/** Smallest JSON form of a value of this schema, plus a separating comma (how many fit in a request). */
function minSize(s: JSONSchemaProps | undefined): number {
  if (!s) return 1;
  if (s.type === "string") return 3;
  if (s.type === "object" || s.type === "array") return 3;
  return 2;
}

/** How many elements a list or map node can hold, and how long a string can be. */
export function maxCount(s: JSONSchemaProps): number {
  if (s.type === "array") return s.maxItems ?? Math.floor(MAX_REQUEST / minSize(s.items));
  if (s.type === "object") return s.maxProperties ?? Math.floor(MAX_REQUEST / (s.additionalProperties && typeof s.additionalProperties === "object" ? minSize(s.additionalProperties) + 3 : 4));
  if (s.type === "string") return s.maxLength ?? MAX_REQUEST;
  return 1;
}

/**
 * How many times a rule on `node` can run for one object: the product of the enclosing lists' and
 * maps' sizes (`enclosing`), but never more than values of the node fit into one request.
 */
export function cardinality(enclosing: number, node: JSONSchemaProps): number {
  return Math.min(enclosing, Math.floor(MAX_REQUEST / minSize(node)));
}

const MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);
/** Cost proportional to the argument only (a prefix or suffix test). */
const LINEAR_ARGUMENT = new Set(["startsWith", "endsWith"]);
const LINEAR_STRING = new Set(["contains", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "trim", "replace", "split", "substring", "charAt", "find", "findAll", "join"]);

/** Estimates `ast` with `self`/`oldSelf` typed by `self`. */
export function estimateCost(ast: ASTNode, self: JSONSchemaProps): number {
  const scope = new Map<string, JSONSchemaProps | undefined>([["self", self], ["oldSelf", self]]);
  return est(ast, scope).cost;
}

function sized(node: JSONSchemaProps | undefined): Est {
  return { cost: 1, size: node ? maxCount(node) : 1, node };
}

function est(n: ASTNode, sc: Map<string, JSONSchemaProps | undefined>): Est {
  switch (n.op) {
    case "value": return { cost: 0, size: typeof n.args === "string" ? n.args.length : 1 };
    case "id": return sized(sc.get(n.args as string));
    case ".": case ".?": {
      const [t, f] = n.args as [ASTNode, string];
      const a = est(t, sc);
      const p = a.node?.properties?.[f] ?? (a.node?.additionalProperties && typeof a.node.additionalProperties === "object" ? a.node.additionalProperties : undefined);
      return { ...sized(p), cost: a.cost + 1 };
    }
    case "[]": case "[?]": {
      const [a, b] = n.args as [ASTNode, ASTNode];
      const x = est(a, sc);
      const y = est(b, sc);
      const el = x.node?.type === "array" ? x.node.items : x.node?.additionalProperties && typeof x.node.additionalProperties === "object" ? x.node.additionalProperties : undefined;
      return { ...sized(el), cost: x.cost + y.cost + 1 };
    }
    case "rcall": {
      const [name, target, args] = n.args as [string, ASTNode, ASTNode[]];
      const t = est(target, sc);
      const v = args[0];
      if (MACROS.has(name) && v?.op === "id" && args.length >= 2) {
        const inner = new Map(sc);
        const el = t.node?.type === "array" ? t.node.items : t.node?.type === "object" ? { type: "string" } : undefined;
        inner.set(v.args as string, el);
        const body = args.slice(1).reduce((c, a) => c + est(a, inner).cost, 0);
        const count = t.node ? maxCount(t.node) : t.size;
        return { cost: t.cost + count * (body + 2), size: count, ...(name === "filter" ? { node: t.node } : {}) };
      }
      const rest = args.map((a) => est(a, sc));
      const argCost = rest.reduce((c, a) => c + a.cost, 0);
      if (name === "matches") return { cost: t.cost + argCost + Math.ceil(t.size * 0.1) * Math.max(1, rest[0]?.size ?? 1), size: 1 };
      if (LINEAR_ARGUMENT.has(name)) return { cost: t.cost + argCost + Math.ceil((rest[0]?.size ?? 0) * 0.1), size: 1 };
      if (LINEAR_STRING.has(name)) return { cost: t.cost + argCost + Math.ceil((t.size + (rest[0]?.size ?? 0)) * 0.1), size: name === "split" || name === "findAll" ? t.size : t.size };
      if (name === "size") return { cost: t.cost + 1, size: 1 };
      return { cost: t.cost + argCost + 1, size: 1 };
    }
    case "call": {
      const [fn, args] = n.args as [string, ASTNode[]];
      const rest = args.map((a) => est(a, sc));
      const argCost = rest.reduce((c, a) => c + a.cost, 0);
      // Conversions to string have no size estimate: their result is unbounded.
      if (fn === "string") return { cost: argCost + 1, size: rest[0]?.node?.type === "string" ? rest[0].size : UNBOUNDED };
      if (fn === "has" || fn === "size") return { cost: argCost + 1, size: 1 };
      return { cost: argCost + 1, size: 1 };
    }
    case "+": {
      const [a, b] = n.args as [ASTNode, ASTNode];
      const x = est(a, sc);
      const y = est(b, sc);
      const size = x.size + y.size;
      return { cost: x.cost + y.cost + Math.ceil(size * 0.1), size };
    }
    case "==": case "!=": {
      const [a, b] = n.args as [ASTNode, ASTNode];
      const x = est(a, sc);
      const y = est(b, sc);
      return { cost: x.cost + y.cost + Math.ceil(Math.min(x.size, y.size) * 0.1), size: 1 };
    }
    case "list": {
      const xs = (n.args as ASTNode[]).map((a) => est(a, sc));
      return { cost: xs.reduce((c, x) => c + x.cost, 10), size: xs.length };
    }
    case "map": {
      const xs = (n.args as [ASTNode, ASTNode][]).flatMap(([a, b]) => [est(a, sc), est(b, sc)]);
      return { cost: xs.reduce((c, x) => c + x.cost, 30), size: xs.length / 2 };
    }
    default: {
      const args = n.args as unknown;
      const list: unknown[] = Array.isArray(args) ? args : [args];
      let cost = 1;
      for (const a of list) if (a && typeof a === "object" && "op" in a) cost += est(a as ASTNode, sc).cost;
      return { cost, size: 1 };
    }
  }
}
