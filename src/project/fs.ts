/**
 * The file-system seam of the scaffolder: everything that reads or writes a project goes through a
 * `ProjectFs`, so tests can run in memory and the writer can be checked for atomicity.
 * @module
 */
import { constants as fsConstants, promises as fsp } from "node:fs";
import * as path from "node:path";

/** How a planned file's `content` is stored: UTF-8 text (the default) or base64 of binary bytes. */
export type FileEncoding = "utf8" | "base64";

/** The few file operations the scaffolder needs. Paths are absolute. */
export interface ProjectFs {
  /** File contents (text, or base64 for binary files), or undefined when the file does not exist. */
  readFile(file: string, encoding?: FileEncoding): Promise<string | undefined>;
  writeFile(file: string, content: string, encoding?: FileEncoding): Promise<void>;
  /** Atomic replace of `to` by `from` (same directory). */
  rename(from: string, to: string): Promise<void>;
  /** Creates a directory and its parents; no error if it exists. Returns the first directory created. */
  mkdirp(dir: string): Promise<string | undefined>;
  /** Removes a directory tree (used to undo `mkdirp` after a failed write). */
  removeDir(dir: string): Promise<void>;
  /** Removes a file; no error if it is missing. */
  remove(file: string): Promise<void>;
  /** Keeps the current `file` at `to` (a new path in the same directory) so it can be put back. */
  keep(file: string, to: string): Promise<void>;
  /** Entry names of a directory, or undefined when it does not exist. */
  readdir(dir: string): Promise<string[] | undefined>;
}

function isEnoent(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "ENOENT";
}

/** Node's readFile of a directory throws EISDIR without a path; add it so the message names the file. */
function withPath(err: unknown, file: string): unknown {
  if (typeof err === "object" && err !== null && (err as { path?: unknown }).path === undefined) (err as { path?: string }).path = file;
  return err;
}

/** The real file system. */
export const nodeFs: ProjectFs = {
  async readFile(file, encoding = "utf8") {
    try {
      return await fsp.readFile(file, encoding);
    } catch (err) {
      if (isEnoent(err)) return undefined;
      throw withPath(err, file);
    }
  },
  async writeFile(file, content, encoding = "utf8") {
    await fsp.writeFile(file, content, encoding);
  },
  async rename(from, to) {
    await fsp.rename(from, to);
  },
  async mkdirp(dir) {
    return await fsp.mkdir(dir, { recursive: true });
  },
  async removeDir(dir) {
    await fsp.rm(dir, { recursive: true, force: true });
  },
  async remove(file) {
    await fsp.rm(file, { force: true });
  },
  async keep(file, to) {
    // A hard link keeps the file itself (mode, owner, inode) at no cost; a copy where links fail.
    await fsp.link(file, to).catch(async () => fsp.copyFile(file, to, fsConstants.COPYFILE_EXCL));
  },
  async readdir(dir) {
    try {
      return await fsp.readdir(dir);
    } catch (err) {
      if (isEnoent(err)) return undefined;
      throw err;
    }
  },
};

/** An in-memory file system for tests; `files` maps absolute paths to contents. */
export class MemoryFs implements ProjectFs {
  readonly files = new Map<string, string>();
  /** When set, a write to a path for which it returns true throws (to test rollback). */
  failWrite: ((file: string) => boolean) | undefined;
  /** When set, a rename onto a path for which it returns true throws EACCES (to test rollback). */
  failRename: ((to: string) => boolean) | undefined;

  async readFile(file: string): Promise<string | undefined> {
    return this.files.get(file);
  }
  async writeFile(file: string, content: string): Promise<void> {
    if (this.failWrite?.(file)) throw new Error(`injected write failure: ${file}`);
    this.files.set(file, content);
  }
  async rename(from: string, to: string): Promise<void> {
    if (this.failRename?.(to)) throw Object.assign(new Error(`EACCES: permission denied, rename '${from}' -> '${to}'`), { code: "EACCES", syscall: "rename", path: from, dest: to });
    const c = this.files.get(from);
    if (c === undefined) throw new Error(`rename: no such file ${from}`);
    this.files.delete(from);
    this.files.set(to, c);
  }
  async mkdirp(_dir: string): Promise<string | undefined> {
    return undefined;
  }
  async removeDir(dir: string): Promise<void> {
    for (const f of [...this.files.keys()]) if (f.startsWith(dir + path.sep)) this.files.delete(f);
  }
  async remove(file: string): Promise<void> {
    this.files.delete(file);
  }
  async keep(file: string, to: string): Promise<void> {
    const c = this.files.get(file);
    if (c === undefined) throw new Error(`keep: no such file ${file}`);
    this.files.set(to, c);
  }
  async readdir(dir: string): Promise<string[] | undefined> {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const names = new Set<string>();
    for (const f of this.files.keys()) {
      if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split(path.sep)[0]!);
    }
    return names.size ? [...names].sort() : undefined;
  }
}
