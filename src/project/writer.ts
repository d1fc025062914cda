/**
 * The atomic writer: writes every changed file of a resolved plan to a temporary sibling first,
 * and only when all of them are written moves them into place. A failure at any point (writing
 * a temporary file, or moving one into place half-way through the plan) rolls back: the files
 * already replaced get their old content back, new files and the directories created for them are
 * removed, and no temporary file is left, so the tree is as it was before the command.
 * @module
 */
import * as path from "node:path";
import { UserError } from "../errors.js";
import { fsUserError } from "../fs-error.js";
import type { ProjectFs } from "./fs.js";
import type { ResolvedFile } from "./plan.js";

/** What was written, for the command's summary. */
export interface WriteResult {
  written: string[];
}

/** One file of the plan on its way into place. */
interface Move {
  rel: string;
  temp: string;
  target: string;
  /** Where the replaced file is kept until the whole plan is in place (undefined: a new file). */
  backup?: string;
  /** The target exists and is replaced (action `update`). */
  replaces: boolean;
  moved: boolean;
}

/**
 * Writes the files whose action is `create` or `update`. Files are moved into place in plan
 * order, so a command that puts PROJECT last saves it last. A filesystem error is thrown as a
 * one-line `UserError` naming the file, after the rollback.
 */
export async function writePlan(fs: ProjectFs, root: string, files: readonly ResolvedFile[]): Promise<WriteResult> {
  const changed = files.filter((f) => f.action === "create" || f.action === "update");
  const moves: Move[] = [];
  const createdDirs: string[] = [];
  const suffix = `.tsop-tmp-${process.pid}-${Date.now().toString(36)}`;
  let current: Move | undefined;
  try {
    for (const f of changed) {
      const target = path.join(root, f.path);
      current = { rel: f.path, temp: target + suffix, target, replaces: f.action === "update", moved: false };
      const created = await fs.mkdirp(path.dirname(target));
      if (created !== undefined) createdDirs.push(created);
      moves.push(current);
      await fs.writeFile(current.temp, f.content, f.encoding);
    }
    for (const m of moves) {
      current = m;
      // Keep the old file (a hard link: the rename below stays atomic) until every file is in place.
      if (m.replaces) {
        const backup = m.target + suffix + ".old";
        await fs.keep(m.target, backup);
        m.backup = backup;
      }
      await fs.rename(m.temp, m.target);
      m.moved = true;
    }
  } catch (err) {
    const unrestored = await rollback(fs, moves, createdDirs);
    throw writeError(err, current, moves.filter((m) => m.moved).length, unrestored);
  }
  for (const m of moves) if (m.backup !== undefined) await fs.remove(m.backup).catch(() => undefined);
  return { written: changed.map((f) => f.path) };
}

/** Undoes a partial write; returns the files it could not put back. */
async function rollback(fs: ProjectFs, moves: readonly Move[], createdDirs: readonly string[]): Promise<string[]> {
  const unrestored: string[] = [];
  for (const m of [...moves].reverse()) {
    try {
      if (m.moved && m.backup !== undefined) await fs.rename(m.backup, m.target);
      else if (m.moved) await fs.remove(m.target);
      else if (m.backup !== undefined) await fs.remove(m.backup);
    } catch {
      unrestored.push(m.rel);
    }
    await fs.remove(m.temp).catch(() => undefined);
  }
  for (const d of [...createdDirs].reverse()) await fs.removeDir(d).catch(() => undefined);
  return unrestored;
}

/** The error to report: a filesystem error as one line naming the planned file, anything else as it was. */
function writeError(err: unknown, at: Move | undefined, moved: number, unrestored: readonly string[]): unknown {
  // Name the planned file, not its temporary or backup sibling.
  const e = err as { path?: unknown; dest?: unknown };
  if (at !== undefined && typeof e === "object" && e !== null) {
    e.path = at.target;
    delete e.dest;
  }
  const user = fsUserError(err);
  if (user === undefined) return err;
  const undo = moved > 0 ? `; the ${moved} file${moved === 1 ? "" : "s"} already in place ${moved === 1 ? "was" : "were"} rolled back` : "";
  const state = unrestored.length > 0
    ? `; could not restore ${unrestored.join(", ")} (check them with git diff)`
    : `${undo}, nothing was changed`;
  return new UserError(user.code, `${user.message}${state}`, { hint: user.hint, location: user.location, cause: err });
}
