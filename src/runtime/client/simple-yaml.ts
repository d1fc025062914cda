/**
 * A strict reader for the plain YAML that kubeconfigs are written in (by kubectl, kind, envtest,
 * cloud CLIs): block mappings and sequences, one-line plain and quoted scalars, comments, `{}` and
 * `[]`, printable ASCII. Anything else (anchors, tags, flow collections, block or multi-line
 * scalars, numbers, escapes, tabs, duplicate keys, directives, several documents) gives `undefined` and the caller
 * uses the full YAML parser. So it never answers differently from the `yaml` package (YAML 1.2 core
 * schema), it only sometimes does not answer; what it saves is loading that package (a third of the
 * runtime's bundle, ~10-20 ms of an operator's start).
 * @module
 */

interface Line {
  indent: number;
  text: string;
}

/** Signals a construct outside the subset; caught by {@link parseSimpleYaml}. */
class Unsupported extends Error {}

const bail = (): never => {
  throw new Unsupported();
};

// A plain key: letters, digits and `_ . / -`, starting with a letter or `_` (so it is no number,
// no sequence entry and no indicator); `null`/`true`/... as keys are left to the full parser.
const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*) *:(?: +|$)/;
const RESERVED_KEY = /^(null|Null|NULL|true|True|TRUE|false|False|FALSE|__proto__)$/;
// First characters a plain scalar here may start with: no YAML indicator, no digit or sign
// (numbers resolve to numbers in the core schema), no `.` (.inf, .nan), no `~` (null).
const PLAIN_START = /^[A-Za-z_/]/;

/** The document as plain data, or undefined when the text is outside the subset. */
export function parseSimpleYaml(text: string): unknown {
  // Printable ASCII only: no tabs, CRs, BOM, non-breaking or other Unicode spaces, whose YAML
  // meaning differs from JavaScript's trim(); names in other scripts go to the full parser too.
  if (/[^\n\x20-\x7e]/.test(text)) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const text = raw.trim();
    if (text === "" || text.startsWith("#")) continue;
    lines.push({ indent: raw.length - raw.trimStart().length, text });
  }
  if (lines.length === 0) return undefined;
  try {
    const pos = { i: 0 };
    const first = lines[0] as Line;
    if (first.indent !== 0 || /^(---|\.\.\.|%)/.test(first.text)) return undefined;
    const value = parseNode(lines, pos, 0);
    return pos.i === lines.length ? value : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/** The block node whose first line is lines[pos.i], at exactly `indent`. */
function parseNode(lines: Line[], pos: { i: number }, indent: number): unknown {
  const line = lines[pos.i] as Line;
  if (line.indent !== indent) bail();
  return isEntry(line.text) ? parseSequence(lines, pos, indent) : parseMapping(lines, pos, indent);
}

const isEntry = (t: string): boolean => t === "-" || t.startsWith("- ");

function parseMapping(lines: Line[], pos: { i: number }, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (pos.i < lines.length) {
    const line = lines[pos.i] as Line;
    if (line.indent < indent) break;
    if (line.indent > indent || isEntry(line.text)) bail();
    const m = KEY.exec(line.text) ?? bail();
    const key = m[1] as string;
    if (Object.hasOwn(out, key) || RESERVED_KEY.test(key)) bail();
    const rest = line.text.slice(m[0].length);
    pos.i++;
    out[key] = rest === "" || rest.startsWith("#") ? parseChild(lines, pos, indent, true) : scalarAt(lines, pos, indent, rest);
  }
  return out;
}

function parseSequence(lines: Line[], pos: { i: number }, indent: number): unknown[] {
  const out: unknown[] = [];
  while (pos.i < lines.length) {
    const line = lines[pos.i] as Line;
    if (line.indent < indent || (line.indent === indent && !isEntry(line.text))) break;
    if (line.indent > indent) bail();
    const rest = line.text.slice(1).trimStart();
    if (rest === "" || rest.startsWith("#")) {
      pos.i++;
      out.push(parseChild(lines, pos, indent, false));
    } else if (isEntry(rest) || KEY.test(rest)) {
      // `- key: v` / `- - x`: a node that starts on this line, at the column of its first character.
      lines[pos.i] = { ...line, indent: line.indent + line.text.length - rest.length, text: rest };
      out.push(parseNode(lines, pos, (lines[pos.i] as Line).indent));
    } else {
      pos.i++;
      out.push(scalarAt(lines, pos, indent, rest));
    }
  }
  return out;
}

/**
 * The value of a key or entry with nothing after it on its line: the more indented node below, a
 * sequence at the key's own column (`key:\n- a`, as kubectl writes), or null.
 */
function parseChild(lines: Line[], pos: { i: number }, indent: number, ofKey: boolean): unknown {
  const next = lines[pos.i];
  if (next && next.indent > indent) return parseNode(lines, pos, next.indent);
  if (ofKey && next && next.indent === indent && isEntry(next.text)) return parseSequence(lines, pos, indent);
  return null;
}

/** A one-line scalar; a more indented line after it would continue it (a multi-line scalar). */
function scalarAt(lines: Line[], pos: { i: number }, indent: number, text: string): unknown {
  const next = lines[pos.i];
  if (next && next.indent > indent) bail();
  return scalar(text);
}

function scalar(text: string): unknown {
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end < 0 || text.slice(1, end).includes("\\")) bail();
    return afterQuoted(text, end, text.slice(1, end));
  }
  if (text.startsWith("'")) {
    let end = 1;
    for (;;) {
      end = text.indexOf("'", end);
      if (end < 0) bail();
      if (text[end + 1] !== "'") break;
      end += 2;
    }
    return afterQuoted(text, end, text.slice(1, end).replaceAll("''", "'"));
  }
  const comment = text.search(/ #/);
  const plain = (comment >= 0 ? text.slice(0, comment) : text).trimEnd();
  if (plain === "{}") return {};
  if (plain === "[]") return [];
  if (!PLAIN_START.test(plain) || /: |:$/.test(plain)) bail();
  if (plain === "null" || plain === "Null" || plain === "NULL") return null;
  if (plain === "true" || plain === "True" || plain === "TRUE") return true;
  if (plain === "false" || plain === "False" || plain === "FALSE") return false;
  return plain;
}

/** A quoted scalar may be followed by a comment only. */
function afterQuoted(text: string, end: number, value: string): string {
  const rest = text.slice(end + 1);
  if (rest !== "" && !/^ +#/.test(rest)) bail();
  return value;
}
