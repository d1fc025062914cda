/**
 * Deterministic YAML for generated manifests: sorted keys, block lists at the parent's indent, `---`
 * starts. A small emitter covers the plain JSON that manifests are made of and writes exactly what the
 * `yaml` package writes with the same options (test/manifests/yaml.test.ts checks this); anything it
 * is not sure about (unusual characters, multi-line list items) goes to the `yaml` package instead.
 * @module
 */
import { stringify } from "yaml";

const OPTIONS = { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Serialises one document the way controller-gen's output reads (keys sorted), starting with `---`. */
export function toYamlDocument(value: unknown): string {
  const fast = emitDocument(value);
  return "---\n" + (fast ?? stringify(value, OPTIONS));
}

class Bail extends Error {}

/** The fast path; undefined when the value needs the full library. */
export function emitDocument(value: unknown): string | undefined {
  try {
    const lines: string[] = [];
    if (isMap(value) && Object.keys(value).length) emitMap(value, "", lines);
    else if (Array.isArray(value) && value.length) emitSeq(value, "", lines);
    else return undefined;
    return lines.join("\n") + "\n";
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

const sortedKeys = (m: Record<string, unknown>): string[] => Object.keys(m).filter((k) => m[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function emitMap(m: Record<string, unknown>, indent: string, out: string[], first?: string): void {
  let lead = first;
  for (const k of sortedKeys(m)) {
    const prefix = (lead ?? indent) + key(k) + ":";
    lead = undefined;
    const v = m[k];
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(prefix + " []");
      else { out.push(prefix); emitSeq(v, indent, out); }
    } else if (isMap(v)) {
      if (Object.keys(v).filter((x) => v[x] !== undefined).length === 0) out.push(prefix + " {}");
      else { out.push(prefix); emitMap(v, indent + "  ", out); }
    } else {
      out.push(prefix + " " + scalar(v, indent + "  ", true));
    }
  }
}

function emitSeq(a: unknown[], indent: string, out: string[]): void {
  for (const v of a) {
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(indent + "- []");
      else throw new Bail();
    } else if (isMap(v)) {
      if (sortedKeys(v).length === 0) out.push(indent + "- {}");
      else emitMap(v, indent + "  ", out, indent + "- ");
    } else {
      out.push(indent + "- " + scalar(v, indent + "  ", false));
    }
  }
}

// The `yaml` package's tests for strings that cannot be plain (stringifyString.js) and the
// YAML 1.2 core schema's non-string scalars.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const CORE = [/^(?:~|[Nn]ull|NULL)?$/, /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, /^[-+]?[0-9]+$/, /^0o[0-7]+$/, /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/];
const DOC_MARKER = /^(%|---|\.\.\.)/m;
const PRINTABLE = /^[\x20-\x7e\n]*$/;

function key(k: string): string {
  if (!k || !PRINTABLE.test(k) || k.includes("\n") || NOT_PLAIN.test(k) || CORE.some((re) => re.test(k)) || DOC_MARKER.test(k)) throw new Bail();
  return k;
}

function scalar(v: unknown, contentIndent: string, inMap: boolean): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Bail();
    return Object.is(v, -0) ? "-0" : JSON.stringify(v);
  }
  if (typeof v !== "string" || !PRINTABLE.test(v) || DOC_MARKER.test(v)) throw new Bail();
  if (v.includes("\n")) {
    if (!inMap || /^[\s]|[\s]$/.test(v)) throw new Bail();
    return "|-\n" + v.split("\n").map((l) => (l ? contentIndent + l : "")).join("\n");
  }
  if (v === "" || NOT_PLAIN.test(v) || CORE.some((re) => re.test(v))) {
    const hasDouble = v.includes('"');
    const hasSingle = v.includes("'");
    if (hasDouble && !hasSingle) return `'${v}'`;
    if (/\\|"/.test(v) && hasSingle) throw new Bail();
    return JSON.stringify(v);
  }
  return v;
}
