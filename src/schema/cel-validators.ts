/**
 * The checks kube-apiserver's CEL environment runs on a type-checked rule beyond types (cel-go's AST
 * validators and program planning): list and map literals of one element type (except inside
 * `format(...)`), constant regexes that compile (RE2), constant duration and timestamp literals that
 * parse. It also refuses the few methods cel-js has that cel-go does not. Works on cel-js's checked
 * AST (`checkedType` on each node). @module
 */
import type { ASTNode } from "@marcbachmann/cel-js";
import { RE2JS } from "re2js";

/** cel-js's type of a checked node (not in its typings). */
interface Checked { checkedType?: { name: string } }

/** cel-js bytes methods that cel-go's standard library does not have. */
const CEL_JS_ONLY_BYTES_METHODS = new Set(["json", "hex", "string", "base64", "at"]);
/** Functions whose constant second argument (or receiver call's first) is an RE2 pattern. */
const REGEX_METHODS = new Set(["matches", "find", "findAll"]);
/** A Go duration string (time.ParseDuration), as cel-go parses duration literals. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
/** RFC 3339 as Go's time.Parse(time.RFC3339) accepts it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function typeName(n: ASTNode): string | undefined {
  return (n as ASTNode & Checked).checkedType?.name;
}

function constString(n: ASTNode | undefined): string | undefined {
  return n?.op === "value" && typeof n.args === "string" ? n.args : undefined;
}

/** The AST's child nodes (operands of any operator). */
function children(n: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  const add = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) add(y);
    else if (x && typeof x === "object" && "op" in x) out.push(x as ASTNode);
  };
  if (n.op !== "value" && n.op !== "id") add(n.args);
  return out;
}

const regexErrors = new Map<string, string | undefined>();

/** Why a constant pattern does not compile as RE2 (memoized: the same patterns recur across rules). */
function regexError(pattern: string): string | undefined {
  if (regexErrors.has(pattern)) return regexErrors.get(pattern);
  let err: string | undefined;
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    err = (e as Error).message;
  }
  regexErrors.set(pattern, err);
  return err;
}

function validTimestamp(s: string): boolean {
  if (!RFC3339.test(s)) return false;
  const [date, time] = s.toUpperCase().split("T") as [string, string];
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi, sec] = time.slice(0, 8).split(":").map(Number) as [number, number, number];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && sec < 60;
}

/** Kinds a format clause accepts (cel-go's strings extension, version 2 formatter); dyn always passes. */
const FORMAT_CLAUSES: Record<string, { accepts: string[]; what: string }> = {
  s: { accepts: ["list", "map", "int", "uint", "double", "bool", "string", "google.protobuf.Timestamp", "bytes", "google.protobuf.Duration", "type", "null"], what: "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps" },
  d: { accepts: ["int", "uint"], what: "decimal clause can only be used on integers" },
  f: { accepts: ["double", "string"], what: "fixed-point clause can only be used on doubles" },
  e: { accepts: ["double", "string"], what: "scientific clause can only be used on doubles" },
  b: { accepts: ["int", "uint", "bool"], what: "only integers and bools can be formatted as binary" },
  x: { accepts: ["int", "uint", "string", "bytes"], what: "only integers, byte buffers, and strings can be formatted as hex" },
  o: { accepts: ["int", "uint"], what: "octal clause can only be used on integers" },
};

function kindOf(n: ASTNode): string | undefined {
  const t = (n as ASTNode & { checkedType?: { name: string; kind: string } }).checkedType;
  if (!t) return undefined;
  return t.kind === "list" || t.kind === "map" || t.kind === "dyn" ? t.kind : t.name;
}

/** Checks a constant format string against a list literal of arguments, as cel-go's format validator does. */
function formatProblem(format: string, args: ASTNode[]): string | undefined {
  let used = 0;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    if (format[i + 1] === "%") { i++; continue; }
    if (i + 1 >= format.length) return "error during formatting: unexpected end of string";
    if (used >= args.length) return `index ${used} out of range`;
    let j = i + 1;
    if (format[j] === ".") { j++; while (/\d/.test(format[j] ?? "")) j++; }
    const verb = format[j] === "X" ? "x" : format[j] ?? "";
    const clause = FORMAT_CLAUSES[verb];
    if (!clause) return `could not parse formatting clause: unrecognized formatting clause "${format[j] ?? ""}"`;
    const k = kindOf(args[used]!);
    if (k !== undefined && k !== "dyn" && !clause.accepts.includes(k)) return `error during formatting: ${clause.what}, was given ${k}`;
    used++;
    i = j;
  }
  if (args.length > used) return `too many arguments supplied to string.format (expected ${used}, got ${args.length})`;
  return undefined;
}

/** Problems (messages) the apiserver reports for a checked expression beyond its types. */
export function validateCheckedAst(root: ASTNode): string[] {
  const out: string[] = [];
  const walk = (n: ASTNode, inFormat: boolean): void => {
    if (n.op === "list" && !inFormat) {
      const ts = (n.args as ASTNode[]).map(typeName);
      const first = ts[0];
      const other = ts.find((t) => t !== undefined && first !== undefined && t !== first);
      if (other !== undefined) out.push(`expected type '${first}' but found '${other}' (list literals must have one element type)`);
    }
    if (n.op === "map" && !inFormat) {
      const es = n.args as [ASTNode, ASTNode][];
      for (const side of [0, 1] as const) {
        const ts = es.map((e) => typeName(e[side]));
        const other = ts.find((t) => t !== undefined && ts[0] !== undefined && t !== ts[0]);
        if (other !== undefined) out.push(`expected type '${ts[0]}' but found '${other}' (map literals must have one ${side ? "value" : "key"} type)`);
      }
    }
    let format = inFormat;
    if (n.op === "rcall") {
      const [name, target, args] = n.args as [string, ASTNode, ASTNode[]];
      if (name === "format") {
        format = true;
        const f = constString(target);
        if (f !== undefined && args.length === 1 && args[0]!.op === "list") {
          const err = formatProblem(f, args[0]!.args as ASTNode[]);
          if (err) out.push(err);
        }
      }
      if (CEL_JS_ONLY_BYTES_METHODS.has(name) && typeName(target) === "bytes") out.push(`found no matching overload for 'bytes.${name}(...)'`);
      const pattern = REGEX_METHODS.has(name) ? constString(args[0]) : undefined;
      const err = pattern === undefined ? undefined : regexError(pattern);
      if (err) out.push(`invalid regular expression in ${name}(): ${err}`);
    }
    if (n.op === "call") {
      const [name, args] = n.args as [string, ASTNode[]];
      if (name === "format") format = true;
      const s = constString(args[0]);
      if (name === "duration" && s !== undefined && !GO_DURATION.test(s)) out.push(`invalid duration literal '${s}'`);
      if (name === "timestamp" && s !== undefined && !validTimestamp(s)) out.push(`invalid timestamp literal '${s}'`);
      const pattern = name === "matches" ? constString(args[1]) : undefined;
      const err = pattern === undefined ? undefined : regexError(pattern);
      if (err) out.push(`invalid regular expression in matches(): ${err}`);
    }
    for (const c of children(n)) walk(c, format);
  };
  walk(root, false);
  return out;
}
