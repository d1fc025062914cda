/**
 * Label and field selectors in the apiserver's string syntax, parsed once and matched against
 * cached objects: `app=web,tier in (a,b),!legacy,env!=prod`, `metadata.name=x`.
 * @module
 */
import type { KubeObject } from "../../types/index.js";

/** One label requirement. */
export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!" }
  | { key: string; op: "gt" | "lt"; value: number };

/** A parsed selector: a predicate over labels. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

/** Thrown for a selector the apiserver would reject too. */
export class SelectorError extends Error {
  override readonly name = "SelectorError";
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const VALUE = /^([a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?)?$/;

/** Parses a label selector; the empty string selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = splitTopLevel(text).map((part) => parseRequirement(part, text));
  return { requirements, matches: (labels) => requirements.every((r) => matchRequirement(r, labels ?? {})) };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  const trimmed = parts.map((p) => p.trim());
  return trimmed.length === 1 && trimmed[0] === "" ? [] : trimmed;
}

function parseRequirement(part: string, whole: string): LabelRequirement {
  const bad = (why: string): SelectorError => new SelectorError(`invalid label selector "${whole}": ${why}`);
  if (part === "") throw bad("empty requirement");
  let m = /^!\s*(\S+)$/.exec(part);
  if (m) return { key: checkKey(m[1]!, bad), op: "!" };
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (m) {
    const values = m[3]!.split(",").map((v) => v.trim());
    for (const v of values) if (!VALUE.test(v)) throw bad(`invalid value "${v}"`);
    return { key: checkKey(m[1]!, bad), op: m[2] as "in" | "notin", values };
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(part);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    if (op === "<" || op === ">") {
      const n = Number(value);
      if (!/^-?\d+$/.test(value)) throw bad(`"${op}" needs an integer, got "${value}"`);
      return { key: checkKey(key, bad), op: op === ">" ? "gt" : "lt", value: n };
    }
    if (!VALUE.test(value)) throw bad(`invalid value "${value}"`);
    return { key: checkKey(key, bad), op: op === "!=" ? "!=" : "=", value };
  }
  if (/^\S+$/.test(part)) return { key: checkKey(part, bad), op: "exists" };
  throw bad(`cannot parse "${part}"`);
}

function checkKey(key: string, bad: (why: string) => SelectorError): string {
  if (!KEY.test(key)) throw bad(`invalid key "${key}"`);
  return key;
}

function matchRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case "=":
      return has && v === r.value;
    case "!=":
      return !has || v !== r.value;
    case "in":
      return has && r.values.includes(v ?? "");
    case "notin":
      return !has || !r.values.includes(v ?? "");
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !/^-?\d+$/.test(v ?? "")) return false;
      const n = Number(v);
      return r.op === "gt" ? n > r.value : n < r.value;
    }
  }
}

/** One field requirement: a dotted path compared with `=`/`==` or `!=`. */
export interface FieldRequirement {
  path: string;
  op: "=" | "!=";
  value: string;
}

/** A parsed field selector. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(obj: KubeObject): boolean;
  /** The value required for `path` with `=`, if any (lets the cache use an index). */
  exact(path: string): string | undefined;
}

/**
 * Parses a field selector (`metadata.name=x,metadata.namespace!=y`). The cache evaluates any dotted
 * path on the object; the apiserver supports only metadata.name, metadata.namespace and a few
 * per-kind fields, so keep to those for selectors that also go to the server.
 */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements = splitTopLevel(text).map((part): FieldRequirement => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid field selector "${text}": cannot parse "${part}"`);
    return { path: m[1]!, op: m[2] === "!=" ? "!=" : "=", value: m[3]!.trim() };
  });
  return {
    requirements,
    matches: (obj) => requirements.every((r) => (fieldValue(obj, r.path) === r.value) === (r.op === "=")),
    exact: (path) => requirements.find((r) => r.path === path && r.op === "=")?.value,
  };
}

function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur === undefined || cur === null ? "" : String(cur);
}
