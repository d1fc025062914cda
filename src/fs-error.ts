/**
 * Filesystem conditions the user can fix (a path that is a file where a directory is needed, a
 * directory where a file is, no permission, a full disk, a deleted working directory) as one-line
 * `UserError`s with the path and the fix, instead of internal errors.
 * @module
 */
import * as path from "node:path";
import { UserError } from "./errors.js";

/** What a Node.js system error carries. */
interface ErrnoLike {
  code?: unknown;
  path?: unknown;
  dest?: unknown;
  syscall?: unknown;
}

const conditions: Record<string, { what: string; hint: string }> = {
  ENOTDIR: { what: "a part of this path is a file, not a directory", hint: "move the file away or choose another path" },
  EISDIR: { what: "is a directory, expected a file", hint: "remove or rename the directory, or choose another path" },
  ENOENT: { what: "does not exist", hint: "check the path; create it or choose an existing one" },
  EACCES: { what: "permission denied", hint: "check the file's owner and mode (ls -l), or run where you may write" },
  EPERM: { what: "operation not permitted", hint: "check the file's owner, mode and attributes" },
  EROFS: { what: "read-only file system", hint: "run in a writable directory" },
  ENOSPC: { what: "no space left on the device", hint: "free some disk space and run the command again" },
  EDQUOT: { what: "disk quota exceeded", hint: "free some space and run the command again" },
  ENAMETOOLONG: { what: "file name too long", hint: "use a shorter path" },
  ELOOP: { what: "too many levels of symbolic links", hint: "fix the symbolic link loop" },
  EEXIST: { what: "already exists", hint: "move it away or pass --force where the command offers it" },
  ENOTEMPTY: { what: "directory is not empty", hint: "empty or remove the directory" },
  EBUSY: { what: "resource busy or locked", hint: "close what holds it and run the command again" },
  EMFILE: { what: "too many open files", hint: "raise the open-file limit (ulimit -n) and run the command again" },
  EIO: { what: "input/output error", hint: "check the disk and run the command again" },
};

/** The working directory, or a `UserError` when it was deleted or cannot be read. */
export function currentDir(): string {
  try {
    return process.cwd();
  } catch (err) {
    throw new UserError("cwd-gone", "the working directory no longer exists (it was deleted or moved)", {
      hint: "cd into an existing directory and run the command again",
      cause: err,
    });
  }
}

/**
 * The `UserError` for a Node.js filesystem error with a known code and a path, or undefined for
 * anything else (which stays an internal error).
 */
export function fsUserError(err: unknown): UserError | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as ErrnoLike;
  if (typeof e.code !== "string") return undefined;
  if (e.code === "ENOENT" && e.syscall === "uv_cwd") return new UserError("cwd-gone", "the working directory no longer exists (it was deleted or moved)", { hint: "cd into an existing directory and run the command again", cause: err });
  const c = conditions[e.code];
  if (c === undefined || typeof e.path !== "string") return undefined;
  const file = displayPath(e.path);
  const dest = typeof e.dest === "string" ? ` -> ${displayPath(e.dest)}` : "";
  const op = typeof e.syscall === "string" ? ` (${e.syscall}${dest})` : "";
  return new UserError(`fs-${e.code.toLowerCase()}`, `${c.what}${op} [${e.code}]`, { hint: c.hint, location: { file }, cause: err });
}

/** `p` relative to the working directory when inside it, else as is. */
function displayPath(p: string): string {
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    return p;
  }
  const rel = path.relative(cwd, p);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}
