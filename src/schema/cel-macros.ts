/**
 * Macros of the CEL extensions kube-apiserver enables that cel-js does not have, declared for type
 * checking only: the lists extension's `sortBy(x, key)` and the two-variable comprehensions
 * (`all`/`exists`/`existsOne`/`exists_one` with two variables, `transformList`, `transformMap`,
 * `transformMapEntry`). Each macro types its variables from the receiver (list: index int and
 * element; map: key and value) and its result as cel-go does. Rules are never evaluated with these.
 * @module
 */
import type { ASTNode, Environment } from "@marcbachmann/cel-js";

/** cel-js's checker, context and type objects, as far as the macros use them (not in its typings). */
interface CelType { name: string; kind: string; valueType?: CelType; keyType?: CelType }
interface CheckContext { forkWithVariable(name: string, type: CelType): CheckContext }
interface Checker {
  check(ast: ASTNode, ctx: CheckContext): CelType;
  createError(code: string, message: string, ast: ASTNode): Error;
  getType(name: string): CelType;
  registry: { getListType(t: CelType): CelType; getMapType(k: CelType, v: CelType): CelType };
}
interface MacroCall { args: ASTNode[]; receiver: ASTNode }
type TypeCheck = (chk: Checker, ctx: CheckContext, receiver: CelType, args: ASTNode[]) => CelType;

/** Types a sortBy key must have (the lists extension's comparable types; dyn is resolved at runtime). */
const COMPARABLE = new Set(["int", "uint", "double", "bool", "string", "bytes", "google.protobuf.Duration", "google.protobuf.Timestamp", "dyn"]);

const notEvaluated = (): never => {
  throw new Error("tsop declares Kubernetes CEL macros for type checking only");
};

function identifier(chk: Checker, n: ASTNode, macro: string): string {
  if (n.op !== "id") throw chk.createError("invalid_macro_argument", `${macro}: the variable must be a simple name`, n);
  return n.args;
}

/** The two variables' types over a list (index, element) or a map (key, value). */
function entryTypes(chk: Checker, receiver: CelType, macro: string, at: ASTNode): [CelType, CelType] {
  if (receiver.kind === "list") return [chk.getType("int"), receiver.valueType!];
  if (receiver.kind === "map") return [receiver.keyType!, receiver.valueType!];
  if (receiver.kind === "dyn") return [receiver, receiver];
  throw chk.createError("no_matching_overload", `found no matching overload for '${receiver.name}.${macro}'`, at);
}

/** Binds both variables and checks `args[2..]` in that scope; returns their types. */
function twoVar(chk: Checker, ctx: CheckContext, receiver: CelType, args: ASTNode[], macro: string): CelType[] {
  const a = identifier(chk, args[0]!, macro);
  const b = identifier(chk, args[1]!, macro);
  if (a === b) throw chk.createError("invalid_macro_argument", `duplicate variable name: ${a}`, args[1]!);
  const [ta, tb] = entryTypes(chk, receiver, macro, args[0]!);
  const inner = ctx.forkWithVariable(a, ta).forkWithVariable(b, tb);
  return args.slice(2).map((e) => chk.check(e, inner));
}

function mustBeBool(chk: Checker, t: CelType, at: ASTNode, macro: string): void {
  if (t.name !== "bool" && t.kind !== "dyn") throw chk.createError("invalid_macro_argument", `${macro} predicate must return bool, got '${t.name}'`, at);
}

const quantifier = (macro: string): TypeCheck => (chk, ctx, receiver, args) => {
  mustBeBool(chk, twoVar(chk, ctx, receiver, args, macro)[0]!, args[2]!, macro);
  return chk.getType("bool");
};

/** transformList/transformMap/transformMapEntry: the optional filter, then the transform's type. */
function transformed(chk: Checker, ctx: CheckContext, receiver: CelType, args: ASTNode[], macro: string): CelType {
  const ts = twoVar(chk, ctx, receiver, args, macro);
  if (ts.length === 2) mustBeBool(chk, ts[0]!, args[2]!, macro);
  return ts[ts.length - 1]!;
}

const MACROS: Record<string, { arity: number[]; check: TypeCheck }> = {
  sortBy: {
    arity: [2],
    check(chk, ctx, receiver, args) {
      if (receiver.kind !== "list" && receiver.kind !== "dyn") throw chk.createError("no_matching_overload", `found no matching overload for '${receiver.name}.sortBy'`, args[0]!);
      const v = identifier(chk, args[0]!, "sortBy");
      const key = chk.check(args[1]!, ctx.forkWithVariable(v, receiver.kind === "list" ? receiver.valueType! : receiver));
      if (!COMPARABLE.has(key.name)) throw chk.createError("no_matching_overload", `found no matching overload for sortBy with a key of type '${key.name}' (keys must be int, uint, double, bool, string, bytes, duration or timestamp)`, args[1]!);
      return receiver;
    },
  },
  all: { arity: [3], check: quantifier("all") },
  exists: { arity: [3], check: quantifier("exists") },
  existsOne: { arity: [3], check: quantifier("existsOne") },
  exists_one: { arity: [3], check: quantifier("exists_one") },
  transformList: {
    arity: [3, 4],
    check: (chk, ctx, receiver, args) => chk.registry.getListType(transformed(chk, ctx, receiver, args, "transformList")),
  },
  transformMap: {
    arity: [3, 4],
    check(chk, ctx, receiver, args) {
      const v = transformed(chk, ctx, receiver, args, "transformMap");
      return chk.registry.getMapType(entryTypes(chk, receiver, "transformMap", args[0]!)[0], v);
    },
  },
  transformMapEntry: {
    arity: [3, 4],
    check(chk, ctx, receiver, args) {
      const m = transformed(chk, ctx, receiver, args, "transformMapEntry");
      if (m.kind !== "map" && m.kind !== "dyn") throw chk.createError("invalid_macro_argument", `transformMapEntry must produce a map, got '${m.name}'`, args[args.length - 1]!);
      return m;
    },
  },
};

/** Receivers the macros are declared on (cel-js matches a macro by name and arity on any receiver; the macro checks the receiver). */
const RECEIVERS = ["list"];

/** Declares the macros in `env`. */
export function registerKubernetesMacros(env: Environment): void {
  for (const [name, m] of Object.entries(MACROS)) {
    for (const n of m.arity) {
      for (const receiver of RECEIVERS) {
        const sig = `${receiver}.${name}(${Array(n).fill("ast").join(", ")}): dyn`;
        env.registerFunction(sig, ({ args, receiver: r }: MacroCall) => ({
          args, async: false, evaluate: notEvaluated,
          typeCheck: (chk: Checker, _m: unknown, ctx: CheckContext) => m.check(chk, ctx, chk.check(r, ctx), args),
        }));
      }
    }
  }
}
