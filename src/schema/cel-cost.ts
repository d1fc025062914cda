/**
 * A port of the static CEL cost estimate kube-apiserver computes when a CRD is written (cel-go's
 * checker/cost.go with the apiserver's library estimator, k8s.io/apiserver/pkg/cel/library/cost.go,
 * and its schema size estimator), over cel-js's type-checked AST. Sizes come from the schema
 * (cel-decl.ts): maxLength, maxItems, maxProperties, or what fits into a 3 MiB request. Only the
 * maximum cost is tracked (the apiserver compares the maximum with its limits). Macros are costed as
 * the comprehensions cel-go expands them into. @module
 */
import type { ASTNode } from "@marcbachmann/cel-js";
import type { JSONSchemaProps } from "./json-schema.js";
import { declOf, type Decl } from "./cel-decl.js";

/** The apiserver's limit on one expression's estimated cost times its cardinality (StaticEstimatedCostLimit). */
export const PER_EXPRESSION_LIMIT = 10_000_000;
/** The apiserver's limit on the sum of those over one version's schema (StaticEstimatedCRDCostLimit). */
export const PER_CRD_LIMIT = 100_000_000;

/** math.MaxUint64, where cel-go saturates. */
export const U64 = 2 ** 64;
/** A cost as the apiserver prints it (an unsigned 64-bit integer; saturated costs are math.MaxUint64). */
export function formatCost(cost: number): string {
  return cost >= U64 ? "18446744073709551615" : BigInt(Math.round(cost)).toString();
}
const STRING_FACTOR = 0.1;
const REGEX_FACTOR = 0.25;
/** k8s.io/apiserver's MaxNameFormatRegexSize times the regex factor (format.<name>().validate). */
const FORMAT_VALIDATE_FACTOR = 128 * REGEX_FACTOR;

interface Size { min: number; max: number }
const UNKNOWN: Size = { min: 0, max: U64 };
const fixed = (n: number): Size => ({ min: n, max: n });

const add = (a: number, b: number): number => Math.min(a + b, U64);
const mul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : Math.min(a * b, U64));
const factor = (x: number, f: number): number => (x > 0 && f > 0 && x > U64 / f ? U64 : Math.min(Math.ceil(x * f), U64));
const sizeAdd = (a: Size, b: Size): Size => ({ min: add(a.min, b.min), max: add(a.max, b.max) });
const union = (a: Size, b: Size): Size => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });

interface CelType { name: string; kind: string; valueType?: CelType; keyType?: CelType }
interface Entry { container: "list" | "map"; key: Size; val: Size }
interface Local { path: string[] | undefined; size: Size | undefined; entry: Entry | undefined }

const SCALARS = new Set(["int", "uint", "double", "bool", "google.protobuf.Duration", "google.protobuf.Timestamp"]);
/** Identifiers that are function namespaces in cel-go (`optional.of(x)` is one call, not a member call). */
const NAMESPACES = new Set(["optional", "strings", "sets", "format", "ip", "lists", "cel", "math", "base64"]);
const ACCU = "@result";

function typeOf(n: ASTNode): CelType | undefined {
  return (n as ASTNode & { checkedType?: CelType }).checkedType;
}

function isScalar(t: CelType | undefined): boolean {
  if (!t) return false;
  if (t.kind === "optional") return isScalar(t.valueType);
  return SCALARS.has(t.name);
}

const isStringish = (t: CelType | undefined): boolean => t?.name === "string" || t?.name === "bytes";

class Coster {
  private readonly sizes = new Map<ASTNode, Size>();
  private readonly entries = new Map<ASTNode, Entry>();
  private readonly paths = new Map<ASTNode, string[]>();
  private readonly locals = new Map<string, Local[]>();
  /** Nodes the expression sized by the request limit alone, as `<base>.a[]` with the tag that would bound them. */
  readonly unbounded = new Set<string>();

  constructor(private readonly root: Decl | undefined, private readonly base: string) {}

  // --- sizes -----------------------------------------------------------------------------

  /** The schema size estimator: walks a path (its first element is the variable) from the root. */
  private bySchema(path: string[] | undefined): Size | undefined {
    if (!path?.length || !this.root) return undefined;
    let d: Decl | undefined = this.root;
    let where = this.base;
    for (const step of path.slice(1)) {
      if (step === "@items" || step === "@values") { d = d.elem; where += step === "@items" ? "[]" : "[*]"; }
      else if (step === "@keys") d = d.key;
      else { d = d.fields?.get(step); where += `.${step}`; }
      if (!d) return undefined;
    }
    if (d.unbounded) this.unbounded.add(`@${d.unbounded} on ${where}`);
    return { min: 0, max: d.maxElements };
  }

  private local(name: string): Local | undefined {
    const s = this.locals.get(name);
    return s?.[s.length - 1];
  }

  private push(name: string, l: Local): void {
    const s = this.locals.get(name) ?? [];
    s.push(l);
    this.locals.set(name, s);
  }

  private pop(name: string): void {
    this.locals.get(name)?.pop();
  }

  private pathOf(n: ASTNode): string[] | undefined {
    if (n.op === "id") {
      const l = this.local(n.args);
      if (l) return l.path;
    }
    return this.paths.get(n);
  }

  private computeSize(n: ASTNode): Size | undefined {
    const known = this.sizes.get(n);
    if (known) return known;
    const lit = literalSize(n);
    if (lit) return lit;
    const bySchema = this.bySchema(this.pathOf(n));
    if (bySchema) {
      this.sizes.set(n, bySchema);
      return bySchema;
    }
    if (isScalar(typeOf(n))) return fixed(1);
    if (n.op === "id") return this.local(n.args)?.size;
    return undefined;
  }

  private size(n: ASTNode): Size {
    return this.computeSize(n) ?? UNKNOWN;
  }

  private entry(n: ASTNode): Entry | undefined {
    const e = this.entries.get(n);
    if (e) return e;
    if (n.op === "id") return this.local(n.args)?.entry;
    return undefined;
  }

  /** The size of a list's elements through the schema (the apiserver's listElementNode). */
  private elementSize(list: ASTNode): { size: Size; type: CelType } | undefined {
    const t = typeOf(list);
    if (t?.kind !== "list" || !t.valueType) return undefined;
    const p = this.pathOf(list);
    return { size: this.bySchema(p ? [...p, "@items"] : undefined) ?? UNKNOWN, type: t.valueType };
  }

  // --- costs -----------------------------------------------------------------------------

  cost(n: ASTNode): number {
    switch (n.op) {
      case "value": return 0;
      case "id": {
        const l = this.local(n.args);
        this.paths.set(n, l?.path ?? [n.args]);
        return 1;
      }
      case ".": {
        const [target, field] = n.args;
        let c = this.cost(target);
        const k = typeOf(target)?.kind;
        if (k === "map" || k === "message") c = add(c, 1);
        const p = this.pathOf(target);
        this.paths.set(n, [...(p ?? []), field]);
        return c;
      }
      case ".?": case "[?]": {
        const a = n.args as [ASTNode, ASTNode | string];
        const c = this.cost(a[0]) + (typeof a[1] === "string" ? 0 : this.cost(a[1]));
        return add(c, 1);
      }
      case "[]": return this.index(n, n.args[0], n.args[1]);
      case "list": return this.list(n, n.args);
      case "map": return this.map(n, n.args);
      case "&&": case "||": return add(this.cost(n.args[0]), this.cost(n.args[1]));
      case "?:": {
        const [c, t, f] = n.args;
        const cc = this.cost(c);
        const ct = this.cost(t);
        const cf = this.cost(f);
        this.sizes.set(n, union(this.size(t), this.size(f)));
        const et = this.entry(t);
        const ef = this.entry(f);
        if (et && ef) this.entries.set(n, { container: et.container, key: union(et.key, ef.key), val: union(et.val, ef.val) });
        return add(cc, Math.max(ct, cf));
      }
      case "!_": case "-_": return add(this.cost(n.args), 1);
      case "call": return this.call(n, n.args[0], n.args[1]);
      case "rcall": return this.rcall(n, n.args[0], n.args[1], n.args[2]);
      default: return this.binary(n);
    }
  }

  private index(n: ASTNode, coll: ASTNode, key: ASTNode): number {
    const c = add(add(this.cost(coll), this.cost(key)), 1);
    const kind = typeOf(coll)?.kind;
    const e = this.entry(coll);
    const p = this.pathOf(coll);
    if (kind === "list" || kind === "map") this.paths.set(n, [...(p ?? []), kind === "list" ? "@items" : "@values"]);
    const s = e?.val ?? this.computeSize(n);
    if (s) this.sizes.set(n, s);
    return c;
  }

  private list(n: ASTNode, items: ASTNode[]): number {
    let c = 0;
    let val: Size = items.length ? { min: U64, max: 0 } : fixed(0);
    for (const x of items) {
      c = add(c, this.cost(x));
      val = union(val, this.size(x));
    }
    this.entries.set(n, { container: "list", key: fixed(1), val });
    return add(c, 10);
  }

  private map(n: ASTNode, items: [ASTNode, ASTNode][]): number {
    let c = 0;
    let key: Size = items.length ? { min: U64, max: 0 } : fixed(0);
    let val: Size = items.length ? { min: U64, max: 0 } : fixed(0);
    for (const [k, v] of items) {
      c = add(add(c, this.cost(k)), this.cost(v));
      key = union(key, this.size(k));
      val = union(val, this.size(v));
    }
    this.entries.set(n, { container: "map", key, val });
    return add(c, 30);
  }

  private binary(n: ASTNode): number {
    const [a, b] = n.args as [ASTNode, ASTNode];
    const args = add(this.cost(a), this.cost(b));
    const ta = typeOf(a);
    const tb = typeOf(b);
    switch (n.op) {
      case "==": case "!=": {
        if (n.op === "==" && ta && tb && ta.name === tb.name) {
          if (ta.name === "net.IP" || ta.name === "net.CIDR" || ta.name === "k8s.Quantity" || ta.name === "k8s.Semver") return add(args, 1);
          if (ta.name === "k8s.Format") return add(args, factor(64, STRING_FACTOR));
          if (ta.name === "k8s.URL") return add(args, factor(Math.max(1, this.computeSize(b)?.max ?? 1), STRING_FACTOR));
        }
        return add(args, this.compareCost(a, b));
      }
      case "<": case "<=": case ">": case ">=":
        if ((isStringish(ta) || isStringish(tb)) && (isStringish(ta) || ta?.kind === "dyn") && (isStringish(tb) || tb?.kind === "dyn")) return add(args, this.compareCost(a, b));
        return add(args, 1);
      case "+": {
        // With a dyn operand cel-go keeps every matching overload and takes the most expensive:
        // string and bytes concatenation when an operand may be one, list concatenation for lists.
        const rt = typeOf(n);
        const text = rt?.name === "string" || rt?.name === "bytes" || (rt?.kind === "dyn" && (isStringish(ta) || isStringish(tb) || (ta?.kind === "dyn" && tb?.kind === "dyn")));
        const list = rt?.kind === "list" || (rt?.kind === "dyn" && (ta?.kind === "list" || tb?.kind === "list"));
        if (text || list) {
          const s = sizeAdd(this.size(a), this.size(b));
          this.sizes.set(n, s);
          const ea = this.entry(a);
          const eb = this.entry(b);
          if (ea && eb) this.entries.set(n, { container: ea.container, key: union(ea.key, eb.key), val: union(ea.val, eb.val) });
          return add(args, text ? factor(s.max, STRING_FACTOR) : 1);
        }
        return add(args, 1);
      }
      case "in": {
        const k = tb?.kind;
        if (k === "list" || k === "dyn") return add(args, this.size(b).max);
        return add(args, 1);
      }
      default: return add(args, 1);
    }
  }

  /** Equality and string ordering: the smaller maximum size times the traversal factor. */
  private compareCost(a: ASTNode, b: ASTNode): number {
    return factor(Math.min(this.size(a).max, this.size(b).max), STRING_FACTOR);
  }

  private call(n: ASTNode, fn: string, args: ASTNode[]): number {
    if (fn === "has") {
      const sel = args[0]!;
      return sel.op === "." || sel.op === ".?" ? this.cost(sel.args[0] as ASTNode) : this.cost(sel);
    }
    if (fn === "dyn") {
      const c = add(this.cost(args[0]!), 1);
      this.copySizes(n, args[0]!);
      return c;
    }
    return this.function(n, fn, undefined, args);
  }

  private rcall(n: ASTNode, name: string, target: ASTNode, args: ASTNode[]): number {
    if (target.op === "id" && NAMESPACES.has(target.args) && !this.local(target.args)) {
      if (target.args === "cel" && name === "bind" && args.length === 3 && args[0]!.op === "id") return this.bind(n, args[0]!.args, args[1]!, args[2]!);
      return this.function(n, `${target.args}.${name}`, undefined, args);
    }
    const macro = this.macro(n, name, target, args);
    if (macro !== undefined) return macro;
    return this.function(n, name, target, args);
  }

  private copySizes(dst: ASTNode, src: ASTNode): void {
    const s = this.computeSize(src);
    if (s) this.sizes.set(dst, s);
    const e = this.entry(src);
    if (e) this.entries.set(dst, e);
  }

  /** A function call: target and argument costs plus the function's own (library estimators first). */
  private function(n: ASTNode, fn: string, target: ASTNode | undefined, args: ASTNode[]): number {
    let sum = target ? this.cost(target) : 0;
    for (const a of args) sum = add(sum, this.cost(a));
    const r = this.functionCost(fn, target, args);
    if (r.size) this.sizes.set(n, r.size);
    else {
      const s = this.computeSize(n);
      if (s) this.sizes.set(n, s);
    }
    return add(sum, r.cost);
  }

  private functionCost(fn: string, target: ASTNode | undefined, args: ASTNode[]): { cost: number; size?: Size } {
    const sz = (n: ASTNode | undefined): Size => (n ? this.size(n) : UNKNOWN);
    const lit = (n: ASTNode | undefined, dflt: number): number => (n?.op === "value" && typeof n.args === "bigint" && n.args >= 0n ? Number(n.args) : dflt);
    const arg0 = args[0];
    const listCall = (f: number, s: Size): { cost: number; size: Size } => ({ cost: add(add(factor(s.max, f), 1), 10), size: s });
    // cel-go's lists extension (overload estimators run before the apiserver's)
    if (target && typeOf(target)?.kind === "list") {
      const t = this.size(target);
      switch (fn) {
        case "slice": { const end = lit(args[1], t.max); const start = lit(arg0, 0); return listCall(1, fixed(Math.max(0, end - start))); }
        case "flatten": return listCall(args.length ? lit(arg0, U64) : 1, t);
        case "reverse": return listCall(1, t);
        case "distinct": return listCall(2, { min: mul(t.min, t.min), max: mul(t.max, t.max) });
        case "sort": return listCall(isStringish(typeOf(target)?.valueType) ? 2 + STRING_FACTOR : 2, { min: mul(t.min, t.min), max: mul(t.max, t.max) });
      }
    }
    switch (fn) {
      case "lists.range": return listCall(1, fixed(lit(arg0, U64)));
      case "sets.contains": case "sets.intersects": return { cost: add(factor(mul(sz(arg0).max, sz(args[1]).max), 1), 1) };
      case "sets.equivalent": return { cost: add(factor(mul(sz(arg0).max, sz(args[1]).max), 2), 1) };
      // the apiserver's library estimator
      case "isSorted": case "sum": case "max": case "min": case "indexOf": case "lastIndexOf": {
        if (!target) break;
        const el = this.elementSize(target);
        if (el) {
          const elCost = isStringish(el.type) ? add(1, factor(el.size.max, STRING_FACTOR)) : 1;
          return { cost: mul(sz(target).max, elCost) };
        }
        return { cost: factor(sz(target).max, STRING_FACTOR) };
      }
      case "url": if (arg0) { const s = sz(arg0); return { cost: factor(s.max, STRING_FACTOR), size: s }; } break;
      case "lowerAscii": case "upperAscii": case "substring": case "trim":
        if (target) { const s = sz(target); return { cost: factor(s.max, STRING_FACTOR), size: s }; }
        break;
      case "replace": if (target && args.length >= 2) return { cost: factor(sz(target).max, 2 * STRING_FACTOR), size: replaceSize(sz(target), sz(arg0), sz(args[1])) }; break;
      case "split": if (target) { const s = sz(target); return { cost: factor(s.max, 2 * STRING_FACTOR), size: { min: 0, max: args.length > 1 && args[1]!.op === "value" && typeof args[1]!.args === "bigint" ? Number(args[1]!.args) : s.max } }; } break;
      case "join": if (target) return joinCost(sz(target), this.elementSize(target)?.size, arg0 ? sz(arg0) : undefined); break;
      case "find": case "findAll":
        if (target && arg0) { const s = sz(target); return { cost: mul(factor(add(s.max, 1), STRING_FACTOR), factor(sz(arg0).max, REGEX_FACTOR)), size: { min: 0, max: s.max } }; }
        break;
      case "cidr": case "isIP": case "isCIDR": case "quantity": case "isQuantity": case "semver": case "isSemver":
        if (arg0) return { cost: factor(sz(arg0).max, STRING_FACTOR) };
        break;
      case "ip":
        if (target) return { cost: 1 };
        if (arg0) return { cost: factor(sz(arg0).max, STRING_FACTOR) };
        break;
      case "ip.isCanonical": if (arg0) return { cost: factor(sz(arg0).max, 2 * STRING_FACTOR) }; break;
      case "masked": case "prefixLength": case "family": case "isUnspecified": case "isLoopback": case "isLinkLocalMulticast": case "isLinkLocalUnicast": case "isGlobalUnicast":
        return { cost: 1 };
      case "containsIP": case "containsCIDR":
        if (arg0) {
          let c = factor(32, STRING_FACTOR);
          if (fn === "containsCIDR") c = add(add(c, factor(16, STRING_FACTOR)), 1);
          if (typeOf(arg0)?.name === "string") c = add(c, factor(sz(arg0).max, STRING_FACTOR));
          return { cost: c };
        }
        break;
      case "validate": if (arg0) return { cost: factor(factor(sz(arg0).max, STRING_FACTOR), FORMAT_VALIDATE_FACTOR) }; break;
      case "format.named": case "sign": case "asInteger": case "isInteger": case "asApproximateFloat": case "isGreaterThan": case "isLessThan": case "compareTo": case "add": case "sub": case "major": case "minor": case "patch":
      case "getScheme": case "getHostname": case "getHost": case "getPort": case "getEscapedPath": case "getQuery":
        return { cost: 1 };
    }
    // cel-go's own estimates by overload
    switch (fn) {
      case "format": if (target) return { cost: factor(sz(target).max, STRING_FACTOR) }; break;
      case "bytes": if (arg0 && (typeOf(arg0)?.name === "string" || typeOf(arg0)?.kind === "dyn")) { const s = sz(arg0); return { cost: factor(s.max, STRING_FACTOR), size: { min: s.min, max: mul(s.max, 4) } }; } break;
      // string(dyn) and bytes(dyn) keep every overload; the bytes/string one is the priciest and sizes the result
      case "string": if (arg0 && (typeOf(arg0)?.name === "bytes" || typeOf(arg0)?.kind === "dyn")) { const s = sz(arg0); return { cost: Math.max(1, factor(s.max, STRING_FACTOR)), size: { min: Math.floor(s.min / 4), max: s.max } }; } break;
      case "strings.quote": if (arg0) { const s = sz(arg0); return { cost: factor(s.max, STRING_FACTOR), size: { min: s.min + 2, max: add(mul(s.max, 2), 2) } }; } break;
      case "startsWith": case "endsWith": if (target && arg0) return { cost: factor(sz(arg0).max, STRING_FACTOR) }; break;
      case "matches": {
        const [str, re] = target ? [target, arg0] : [arg0, args[1]];
        if (str && re) return { cost: mul(factor(add(sz(str).max, 1), STRING_FACTOR), factor(sz(re).max, REGEX_FACTOR)) };
        break;
      }
      case "contains": if (target && arg0 && typeOf(target)?.name === "string") return { cost: mul(factor(sz(target).max, STRING_FACTOR), factor(sz(arg0).max, STRING_FACTOR)) }; break;
    }
    return { cost: 1 };
  }

  // --- macros ----------------------------------------------------------------------------

  /** Macros as cel-go expands them; undefined when the call is no macro. */
  private macro(n: ASTNode, name: string, target: ASTNode, args: ASTNode[]): number | undefined {
    const v = args[0];
    if (v?.op !== "id") return undefined;
    const two = args.length >= 3 && args[1]!.op === "id" && ["all", "exists", "existsOne", "exists_one", "transformList", "transformMap", "transformMapEntry"].includes(name);
    const vars = two ? [v.args, (args[1] as ASTNode & { args: string }).args] : [v.args];
    const body = args.slice(vars.length);
    switch (name) {
      case "all": if (body.length !== 1) return undefined;
        // init true; loop @not_strictly_false(@result); step @result && p; result @result
        return this.comprehension(n, target, vars, { cost: 0, kind: "literal" }, () => 2, () => add(1, this.cost(body[0]!)), 1);
      case "exists": if (body.length !== 1) return undefined;
        // init false; loop @not_strictly_false(!@result); step @result || p
        return this.comprehension(n, target, vars, { cost: 0, kind: "literal" }, () => 3, () => add(1, this.cost(body[0]!)), 1);
      case "exists_one": case "existsOne": if (body.length !== 1) return undefined;
        // init 0; step p ? @result + 1 : @result; result @result == 1
        return this.comprehension(n, target, vars, { cost: 0, kind: "literal" }, () => 0, () => add(this.cost(body[0]!), 2), 2);
      case "map": case "transformList": {
        if (body.length !== 1 && body.length !== 2) return undefined;
        // init []; step (f ? )@result + [t]( : @result)
        return this.comprehension(n, target, vars, { cost: 10, kind: "list" }, () => 0, () => {
          const f = body.length === 2 ? this.cost(body[0]!) : 0;
          const t = this.cost(body[body.length - 1]!);
          return add(f, add(12, t));
        }, 1, () => ({ container: "list", key: fixed(1), val: union(fixed(0), this.size(body[body.length - 1]!)) }));
      }
      case "filter": if (body.length !== 1) return undefined;
        // init []; step p ? @result + [x] : @result
        return this.comprehension(n, target, vars, { cost: 10, kind: "list" }, () => 0, () => add(this.cost(body[0]!), 13), 1);
      case "transformMap": case "transformMapEntry":
        if (!two || (body.length !== 1 && body.length !== 2)) return undefined;
        // init {}; step (f ? )cel.@mapInsert(@result, k, e)( : @result)
        return this.comprehension(n, target, vars, { cost: 30, kind: "map" }, () => 0, () => {
          const f = body.length === 2 ? this.cost(body[0]!) : 0;
          const e = this.cost(body[body.length - 1]!);
          return add(f, add(name === "transformMap" ? 3 : 2, e));
        }, 1);
      case "sortBy": if (body.length !== 1) return undefined;
        return this.sortBy(n, v.args, target, body[0]!);
    }
    return undefined;
  }

  private comprehension(
    n: ASTNode, range: ASTNode, vars: string[], init: { cost: number; kind: "literal" | "list" | "map" },
    loop: () => number, step: () => number, result: number, stepEntry?: () => Entry,
  ): number {
    let sum = add(this.cost(range), init.cost);
    const rangeEntry = this.entry(range);
    const rangePath = this.pathOf(range) ?? [];
    const kind = rangeEntry?.container ?? (typeOf(range)?.kind === "list" ? "list" : "map");
    this.push(ACCU, { path: undefined, size: init.kind === "literal" ? fixed(1) : undefined, entry: undefined });
    if (vars.length === 2) {
      this.push(vars[0]!, { path: [...rangePath, kind === "list" ? "@indices" : "@keys"], size: rangeEntry?.key, entry: undefined });
      this.push(vars[1]!, { path: [...rangePath, kind === "list" ? "@items" : "@values"], size: rangeEntry?.val, entry: undefined });
    } else {
      this.push(vars[0]!, { path: [...rangePath, kind === "list" ? "@items" : "@keys"], size: kind === "list" ? rangeEntry?.val : rangeEntry?.key, entry: undefined });
    }
    const loopCost = loop();
    const stepCost = step();
    const entry = stepEntry?.();
    for (const v of vars) this.pop(v);
    sum = add(sum, result);
    this.pop(ACCU);
    const count = this.size(range);
    sum = add(sum, mul(count.max, add(stepCost, loopCost)));
    if (init.kind === "literal") this.sizes.set(n, fixed(1));
    else {
      this.sizes.set(n, count);
      if (entry) this.entries.set(n, entry);
    }
    return sum;
  }

  /** cel.bind(v, init, e): an empty-range comprehension (a list literal, 10) with v bound to init. */
  private bind(n: ASTNode, name: string, init: ASTNode, body: ASTNode): number {
    let sum = add(10, this.cost(init));
    this.push(name, { path: this.pathOf(init), size: this.computeSize(init), entry: this.entry(init) });
    sum = add(sum, this.cost(body));
    this.pop(name);
    this.copySizes(n, body);
    return sum;
  }

  /** l.sortBy(x, key): bind(@in, l, @in.@sortByAssociatedKeys(@in.map(x, key))). */
  private sortBy(n: ASTNode, v: string, target: ASTNode, key: ASTNode): number {
    let sum = add(10, this.cost(target));
    const count = this.size(target);
    // the bound input (an identifier, 1), then the map comprehension over it
    this.push(v, { path: [...(this.pathOf(target) ?? []), "@items"], size: this.entry(target)?.val, entry: undefined });
    const keyCost = this.cost(key);
    this.pop(v);
    const mapCost = add(add(add(1, 10), 1), mul(count.max, add(12, keyCost)));
    const sortFactor = isStringish(typeOf(key)) ? 2 + STRING_FACTOR : 2;
    const sortCost = add(add(factor(mul(count.max, count.max), sortFactor), 1), 10);
    this.sizes.set(n, { min: mul(count.min, count.min), max: mul(count.max, count.max) });
    return add(sum, add(1, add(mapCost, sortCost)));
  }
}

function literalSize(n: ASTNode): Size | undefined {
  if (n.op === "value") {
    const v = n.args;
    if (typeof v === "string") return fixed([...v].length);
    if (v instanceof Uint8Array) return fixed(v.length);
    return fixed(1);
  }
  if (n.op === "list") return fixed(n.args.length);
  if (n.op === "map") return fixed(n.args.length);
  return undefined;
}

function replaceSize(s: Size, from: Size, to: Size): Size {
  let countMax: number; let keptMax = 0; let countMin: number; let keptMin = 0;
  if (from.min === 0) { countMax = s.max < U64 ? s.max + 1 : s.max; keptMax = s.max; } else if (to.max <= from.min) { countMax = 0; keptMax = s.max; } else countMax = Math.ceil(s.max / from.min);
  if (from.max === 0) { countMin = s.min < U64 ? s.min + 1 : s.min; keptMin = s.min; } else if (from.max <= to.min) { countMin = 0; keptMin = s.min; } else countMin = Math.ceil(s.min / from.max);
  return { min: add(mul(countMin, to.min), keptMin), max: add(mul(countMax, to.max), keptMax) };
}

function joinCost(list: Size, elem: Size | undefined, sep: Size | undefined): { cost: number; size: Size } {
  let s: Size = elem ? { min: mul(list.min, elem.min), max: mul(list.max, elem.max) } : fixed(0);
  if (sep) s = sizeAdd(s, { min: mul(sep.min, list.min > 0 ? list.min - 1 : 0), max: mul(sep.max, list.max > 0 ? list.max - 1 : 0) });
  return { cost: factor(s.max, STRING_FACTOR), size: s };
}

/** An expression's estimated maximum cost and the nodes it sized by the request limit alone. */
export interface CostEstimate { cost: number; unbounded: string[] }

/**
 * The apiserver's maximum estimated cost of a type-checked expression (`ast` from cel-js, after
 * check()) whose `self` is the schema node `self` (`root`: the resource root or an embedded resource).
 * `base` names `self` in the list of unbounded nodes (the node's path in the schema).
 */
export function estimateCostDetail(ast: ASTNode, self: JSONSchemaProps, root = false, base = "self"): CostEstimate {
  const c = new Coster(declOf(self, root), base);
  const cost = c.cost(ast);
  return { cost, unbounded: [...c.unbounded].sort() };
}

/** estimateCostDetail's cost alone. */
export function estimateCost(ast: ASTNode, self: JSONSchemaProps, root = false): number {
  return estimateCostDetail(ast, self, root).cost;
}
