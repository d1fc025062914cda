/**
 * The file plan: every file a command wants to write, resolved against what is on disk into
 * create / update / unchanged / keep, with conflicts collected before anything is written.
 * @module
 */
import * as path from "node:path";
import { UserError } from "../errors.js";
import type { FileEncoding, ProjectFs } from "./fs.js";

/**
 * What to do when the file already exists with other content:
 * - `error`: the user may have edited it; refuse unless `--force` (then overwrite).
 * - `overwrite`: tsop owns the file (PROJECT, generated manifests, updated kustomizations).
 * - `skip`: keep the user's copy.
 */
export type IfExists = "error" | "overwrite" | "skip";

/** One file a command wants on disk. */
export interface PlannedFile {
  /** Relative to the project root, with `/` separators. */
  path: string;
  /** The text, or base64 of the bytes when `encoding` is `base64`. */
  content: string;
  ifExists: IfExists;
  /** Default: utf8. */
  encoding?: FileEncoding;
}

/** What the writer will do with a file. */
export type FileAction = "create" | "update" | "unchanged" | "keep";

/** A planned file with its resolved action. */
export interface ResolvedFile extends PlannedFile {
  action: FileAction;
}

/** Options of `resolvePlan`. */
export interface ResolveOptions {
  /** Overwrite files with policy `error` that differ on disk. Default: false. */
  force?: boolean;
}

/**
 * Compares each planned file with the disk. Throws one `UserError` listing every conflicting file
 * (policy `error`, different content, no `force`); nothing is written either way.
 */
export async function resolvePlan(fs: ProjectFs, root: string, files: readonly PlannedFile[], opts: ResolveOptions = {}): Promise<ResolvedFile[]> {
  const seen = new Set<string>();
  const conflicts: string[] = [];
  const out: ResolvedFile[] = [];
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal: ${f.path} planned twice`);
    seen.add(f.path);
    const current = await fs.readFile(path.join(root, f.path), f.encoding);
    let action: FileAction;
    if (current === undefined) action = "create";
    else if (current === f.content) action = "unchanged";
    else if (f.ifExists === "skip") action = "keep";
    else if (f.ifExists === "overwrite" || opts.force) action = "update";
    else {
      conflicts.push(f.path);
      continue;
    }
    out.push({ ...f, action });
  }
  if (conflicts.length === 1) {
    throw new UserError("file-exists", "file exists with other content; not overwriting it", { location: { file: conflicts[0]! }, hint: "move it away, or pass --force to overwrite" });
  }
  if (conflicts.length > 1) {
    throw new UserError("file-exists", `${conflicts.length} files exist with other content; not overwriting them: ${conflicts.join(", ")}`, { hint: "move them away, or pass --force to overwrite" });
  }
  return out;
}

/** The plan as text for `--dry-run`, one line per file: `create  config/rbac/role.yaml`. */
export function formatPlan(files: readonly ResolvedFile[]): string {
  const verb: Record<FileAction, string> = { create: "create   ", update: "update   ", unchanged: "unchanged", keep: "keep     " };
  return files.map((f) => `${verb[f.action]} ${f.path}`).join("\n") + "\n";
}
