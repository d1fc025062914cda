/** Splits a raw JSDoc comment into its description and its tags, keeping source offsets. @module */

/** One `@name value` tag with the offset of its `@` in the file. */
export interface RawTag {
  name: string;
  /** The text after the name, whitespace-trimmed, lines joined with `\n`. */
  value: string;
  /** Offset of the `@` in the source file. */
  pos: number;
  /** Offset of the first character of the value (or just past the name when empty). */
  valuePos: number;
}

/** A parsed doc comment. */
export interface ParsedDoc {
  /** The description as controller-gen renders it: lines kept, TODO lines dropped, cut at `---`. */
  description: string;
  tags: RawTag[];
}

interface Piece { text: string; pos: number }

/** Lines of a `/** ... *\/` comment with the comment markers stripped, each with its file offset. */
function commentLines(raw: string, base: number): Piece[] {
  const out: Piece[] = [];
  let offset = 0;
  const lines = raw.split("\n");
  lines.forEach((line, i) => {
    let start = 0;
    let end = line.length;
    if (line.endsWith("\r")) end--;
    if (i === 0 && line.startsWith("/**")) start = 3;
    if (i === lines.length - 1) {
      const close = line.lastIndexOf("*/");
      if (close >= start) end = close;
    }
    while (start < end && /\s/.test(line[start]!)) start++;
    if (i > 0 && line[start] === "*") {
      start++;
      if (line[start] === " ") start++;
    }
    out.push({ text: line.slice(start, end).replace(/\s+$/, ""), pos: base + offset + start });
    offset += line.length + 1;
  });
  return out;
}

/** Finds tag starts in one line, ignoring `@` inside double-quoted values. */
function tagStarts(text: string): { index: number; name: string }[] {
  const found: { index: number; name: string }[] = [];
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && inQuote) { i++; continue; }
    if (c === '"' && found.length > 0) inQuote = !inQuote;
    if (c !== "@" || inQuote) continue;
    if (i > 0 && !/\s/.test(text[i - 1]!)) continue;
    const m = /^@([A-Za-z][A-Za-z0-9_.:-]*)/.exec(text.slice(i));
    if (m) found.push({ index: i, name: m[1]! });
  }
  return found;
}

/** Parses the full text of one JSDoc comment that starts at file offset `base`. */
export function parseJsDoc(raw: string, base: number): ParsedDoc {
  const descLines: string[] = [];
  const tags: RawTag[] = [];
  let current: { tag: RawTag; lines: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    current.tag.value = current.lines.join("\n").trim();
    tags.push(current.tag);
    current = undefined;
  };
  for (const piece of commentLines(raw, base)) {
    const starts = tagStarts(piece.text);
    const head = starts.length ? piece.text.slice(0, starts[0]!.index) : piece.text;
    if (current) current.lines.push(head);
    else descLines.push(head);
    starts.forEach((s, k) => {
      flush();
      const end = k + 1 < starts.length ? starts[k + 1]!.index : piece.text.length;
      const valueText = piece.text.slice(s.index + 1 + s.name.length, end);
      const lead = valueText.length - valueText.trimStart().length;
      current = {
        tag: { name: s.name, value: "", pos: piece.pos + s.index, valuePos: piece.pos + s.index + 1 + s.name.length + lead },
        lines: [valueText],
      };
    });
  }
  flush();
  return { description: renderDescription(descLines), tags };
}

/** Applies controller-gen's description rules: drop TODO lines, stop at `---`, trim blank edges. */
export function renderDescription(lines: string[]): string {
  const kept: string[] = [];
  let fenced = false;
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith("```") || t.startsWith("~~~")) fenced = !fenced;
    if (!fenced && t.startsWith("---")) break;
    if (!fenced && t.startsWith("TODO")) continue;
    kept.push(line.replace(/\s+$/, ""));
  }
  while (kept.length && kept[0] === "") kept.shift();
  while (kept.length && kept[kept.length - 1] === "") kept.pop();
  return kept.join("\n");
}
