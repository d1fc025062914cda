/**
 * The last steps every writing command shares: resolve the plan against the disk, print it, and
 * (unless it is a dry run) write it atomically.
 * @module
 */
import type { ProjectFs } from "./fs.js";
import { formatPlan, resolvePlan, type PlannedFile, type ResolvedFile } from "./plan.js";
import { writePlan } from "./writer.js";

/** Options of `applyPlan`. */
export interface ApplyPlanOptions {
  /** Overwrite files that differ and are not tsop's. Default: false. */
  force?: boolean;
  /** Print the plan and write nothing. Default: false. */
  dryRun?: boolean;
  /** Where the plan is printed. Default: nowhere. */
  out?: (text: string) => void;
}

/** Resolves, prints and writes a plan; returns the resolved files. */
export async function applyPlan(fs: ProjectFs, root: string, files: readonly PlannedFile[], o: ApplyPlanOptions = {}): Promise<ResolvedFile[]> {
  const resolved = await resolvePlan(fs, root, files, { force: o.force ?? false });
  const shown = o.dryRun ? resolved : resolved.filter((f) => f.action !== "unchanged");
  if (o.out && shown.length > 0) o.out((o.dryRun ? "dry run, nothing written:\n" : "") + formatPlan(shown));
  if (!o.dryRun) await writePlan(fs, root, resolved);
  return resolved;
}
