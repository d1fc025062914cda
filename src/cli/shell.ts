/**
 * Small helpers for commands that run other programs: quoting a command line for `--dry-run`
 * output, and finding an executable on PATH.
 * @module
 */
import { accessSync, constants, statSync } from "node:fs";
import * as path from "node:path";

/** `s` quoted for a POSIX shell when it needs quoting. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** A command line as one shell-quoted string. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

/** The absolute path of executable `name` on `PATH` (the one given, or the process's), or undefined. */
export function findOnPath(name: string, pathVar: string | undefined = process.env["PATH"]): string | undefined {
  for (const dir of (pathVar ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
