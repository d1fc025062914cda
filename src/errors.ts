/**
 * Errors the CLI and libraries throw on purpose. Only bin/tsop.js turns them into exit codes:
 * a `UserError` exits 1 with its one-line message; anything else exits 2 as an internal error.
 * @module
 */

/** Where in a user's file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

/** A mistake the user can fix: bad input, a missing tool, a file in the wrong shape. */
export class UserError extends Error {
  override readonly name = "UserError";
  /** Stable machine-readable code, e.g. `invalid-kind`. */
  readonly code: string;
  /** How to fix it; printed after the message. */
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: string, message: string, opts: { hint?: string; location?: SourceLocation; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.hint = opts.hint;
    this.location = opts.location;
  }

  /** One line: `file:line:col: message (hint)`; line breaks from user values are shown as `\n`. */
  format(): string {
    const loc = this.location;
    const where = loc ? `${loc.file}${loc.line ? `:${loc.line}${loc.col ? `:${loc.col}` : ""}` : ""}: ` : "";
    return oneLine(`${where}${this.message}${this.hint ? ` (${this.hint})` : ""}`);
  }
}

/** `text` with CR, LF and the Unicode line separators escaped, so a value the user typed cannot break the one-line format. */
function oneLine(text: string): string {
  return text.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Several user errors found in one pass (e.g. every schema problem in a project). */
export class UserErrors extends UserError {
  readonly errors: readonly UserError[];
  constructor(errors: readonly UserError[]) {
    super(errors[0]?.code ?? "errors", errors.map((e) => e.format()).join("\n"));
    this.errors = errors;
  }
  override format(): string {
    return this.message;
  }
}
