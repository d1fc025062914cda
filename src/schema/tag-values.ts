/** Parsers for tag values: YAML flow values, `key=value` argument lists, field lists. @module */
import { parse as parseYaml, parseDocument, visit } from "yaml";
import { PRECISION_HINT, precisionProblem } from "./numbers.js";

/** A parsed `key=value` argument list; bare words are flags (value `true`). */
export interface ArgList {
  args: Map<string, string | true>;
  /** Offsets (within the value text) of each key, for error locations. */
  offsets: Map<string, number>;
  /** A syntax problem, if any. */
  error?: string;
}

/**
 * Parses `rule="self > 0" message="must be positive" optionalOldSelf`. Values are bare (up to the
 * next whitespace) or double-quoted with JSON escapes.
 */
export function parseArgs(text: string): ArgList {
  const args = new Map<string, string | true>();
  const offsets = new Map<string, number>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
    const key = text.slice(start, i);
    if (!key) return { args, offsets, error: `unexpected character '${text[i]}' at position ${i + 1}` };
    offsets.set(key, start);
    if (text[i] !== "=") {
      if (i < text.length && !/\s/.test(text[i]!)) return { args, offsets, error: `unexpected character '${text[i]}' after ${key}` };
      args.set(key, true);
      continue;
    }
    i++;
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length) return { args, offsets, error: `unterminated quoted value for ${key}` };
      try {
        args.set(key, JSON.parse(text.slice(i, j + 1).replace(/\n/g, "\\n")) as string);
      } catch {
        return { args, offsets, error: `bad escape in the quoted value of ${key}` };
      }
      i = j + 1;
    } else {
      const vs = i;
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      args.set(key, text.slice(vs, i));
    }
  }
  return { args, offsets };
}

/** Parses a YAML flow value (so JSON works): `3`, `"x"`, `[a, b]`, `{}`. */
export function parseFlowValue(text: string): { value?: unknown; error?: string; hint?: string } {
  if (text.trim() === "") return { error: "a value is required" };
  let value: unknown;
  try {
    value = parseYaml(text, { strict: true, uniqueKeys: true }) as unknown;
  } catch (e) {
    return { error: `not a valid YAML/JSON value: ${(e as Error).message.split("\n")[0]}` };
  }
  // Numbers the JSON of the CRD could not carry as written (digits past a double's precision, .inf).
  let lost: string | undefined;
  visit(parseDocument(text, { strict: true, uniqueKeys: true }), {
    Scalar(_k, node) {
      if (lost === undefined && typeof node.value === "number") lost = precisionProblem(node.source ?? String(node.value), node.value);
    },
  });
  if (lost) return { error: lost, hint: PRECISION_HINT };
  return { value };
}

/** Parses a number tag value; integer-only when `integer`. */
export function parseNumber(text: string, integer: boolean): number | undefined {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  if (!Number.isFinite(n)) return undefined;
  if (integer && (!Number.isInteger(n) || n < 0)) return undefined;
  return n;
}

/** Splits a field list: `a;b`, `a, b`, `[a, b]` or `a b`. */
export function parseFieldList(text: string): string[] {
  return text.replace(/^\[|\]$/g, "").split(/[;,\s]+/).map((s) => s.trim().replace(/^"(.*)"$/, "$1")).filter(Boolean);
}
