/**
 * The atomic writer: writes every changed file of a resolved plan to a temporary sibling first,
 * and only when all of them are written renames them into place. On any failure the temporary
 * files and the directories created for them are removed, and no target file has changed.
 * @module
 */
import * as path from "node:path";
import type { ProjectFs } from "./fs.js";
import type { ResolvedFile } from "./plan.js";

/** What was written, for the command's summary. */
export interface WriteResult {
  written: string[];
}

/**
 * Writes the files whose action is `create` or `update`. Files are renamed in plan order, so a
 * command that puts PROJECT last saves it last.
 */
export async function writePlan(fs: ProjectFs, root: string, files: readonly ResolvedFile[]): Promise<WriteResult> {
  const changed = files.filter((f) => f.action === "create" || f.action === "update");
  const temps: { temp: string; target: string }[] = [];
  const createdDirs: string[] = [];
  const suffix = `.tsop-tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    for (const f of changed) {
      const target = path.join(root, f.path);
      const created = await fs.mkdirp(path.dirname(target));
      if (created !== undefined) createdDirs.push(created);
      const temp = target + suffix;
      temps.push({ temp, target });
      await fs.writeFile(temp, f.content, f.encoding);
    }
  } catch (err) {
    for (const t of temps) await fs.remove(t.temp).catch(() => undefined);
    for (const d of createdDirs.reverse()) await fs.removeDir(d).catch(() => undefined);
    throw err;
  }
  for (const t of temps) await fs.rename(t.temp, t.target);
  return { written: changed.map((f) => f.path) };
}
