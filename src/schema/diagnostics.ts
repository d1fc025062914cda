/** Collects schema errors and warnings with their source locations, rendered as UserErrors. @module */
import { UserError, UserErrors, type SourceLocation } from "../errors.js";
import type { SchemaErrorCode } from "./codes.js";
export type { SchemaErrorCode } from "./codes.js";
export { didYouMean, editDistance } from "../did-you-mean.js";

/** A place in a source file: the file path (relative to the project) and a 0-based offset. */
export interface SourcePos {
  file: string;
  /** Text of the file, to turn the offset into line:col. */
  text: string;
  pos: number;
}

/** Turns a file offset into a 1-based line and column. */
export function locate(p: SourcePos): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < p.pos && i < p.text.length; i++) {
    if (p.text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  }
  return { file: p.file, line, col: p.pos - lineStart + 1 };
}

/** The problems found in one run; errors stop the output, warnings do not. */
export class Diagnostics {
  readonly errors: UserError[] = [];
  readonly warnings: string[] = [];
  private readonly seen = new Set<string>();

  /** Records an error at `at`. Duplicates (same place and text) are dropped. */
  error(code: SchemaErrorCode, message: string, at: SourcePos | undefined, hint?: string): void {
    const location = at ? locate(at) : undefined;
    const err = new UserError(code, message, { ...(hint ? { hint } : {}), ...(location ? { location } : {}) });
    const key = err.format();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push(err);
  }

  /** Records a warning (one line, with its location when known). */
  warn(message: string, at?: SourcePos): void {
    const loc = at ? locate(at) : undefined;
    const line = loc ? `${loc.file}:${loc.line}:${loc.col}: ${message}` : message;
    if (this.seen.has(line)) return;
    this.seen.add(line);
    this.warnings.push(line);
  }

  /** Throws every collected error as one `UserErrors` (one line each), sorted by location. */
  throwIfErrors(): void {
    if (this.errors.length === 0) return;
    const sorted = [...this.errors].sort((a, b) => compareLoc(a.location, b.location));
    throw new UserErrors(sorted);
  }
}

function compareLoc(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}

