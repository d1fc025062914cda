/**
 * One line from a `yaml` package parse error: its message without the position and the quoted
 * source the package appends, and the 1-based position apart, for a `UserError` location.
 * @module
 */

/** What a `yaml` error (from `doc.errors` or a thrown `YAMLParseError`) carries. */
interface YamlErrorLike {
  message: string;
  linePos?: readonly { line: number; col: number }[] | undefined;
}

/** The parts of a YAML error a one-line `UserError` needs. */
export interface YamlErrorLine {
  /** The first line of the message, without "at line L, column C". */
  what: string;
  line: number | undefined;
  col: number | undefined;
}

/** Splits a `yaml` error into its one-line message and position. */
export function yamlErrorLine(err: unknown): YamlErrorLine {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as YamlErrorLike;
  const pos = e.linePos?.[0];
  const what = (String(e.message ?? "").split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  return { what, line: pos?.line, col: pos?.col };
}
