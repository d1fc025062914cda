/**
 * The one lifecycle of every tsop command that writes, to files or to a cluster:
 * load (PROJECT, flags, inputs) → validate → plan (everything decided, conflicts found, nothing
 * changed yet) → apply (unless --dry-run, which prints the plan instead) → report.
 * A command supplies the steps; the order, the dry run and the printing live here only.
 * @module
 */
import type { ProjectFs } from "./fs.js";
import { formatPlan, resolvePlan, type PlannedFile, type ResolvedFile } from "./plan.js";
import { writePlan } from "./writer.js";

/** The steps of one command. `L` is what `load` read, `P` the plan. */
export interface CommandSteps<L, P> {
  /** Reads what the command needs (PROJECT, files); throws UserError on anything missing. */
  load(): Promise<L> | L;
  /** Refuses bad input before anything is planned. */
  validate?(loaded: L): Promise<void> | void;
  /** Decides everything; changes nothing. */
  plan(loaded: L): Promise<P> | P;
  /** The plan as text (what `--dry-run` prints). */
  describe(plan: P): string;
  /** Carries the plan out. */
  apply(plan: P, loaded: L): Promise<void>;
  /** What to print after applying (empty: nothing). */
  report?(plan: P, loaded: L): string;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Print the plan and change nothing. Default: false. */
  dryRun?: boolean;
  /** Where plans and reports go. Default: nowhere. */
  out?: (text: string) => void;
  /** The first line of a dry run. Default: "dry run, nothing written:". */
  dryRunHeader?: string;
}

/** Runs a command's steps in order; returns the plan. */
export async function runCommand<L, P>(steps: CommandSteps<L, P>, o: RunCommandOptions = {}): Promise<P> {
  const loaded = await steps.load();
  await steps.validate?.(loaded);
  const plan = await steps.plan(loaded);
  if (o.dryRun) {
    const text = steps.describe(plan);
    if (text) o.out?.(`${o.dryRunHeader ?? "dry run, nothing written:"}\n${text}`);
    return plan;
  }
  await steps.apply(plan, loaded);
  const report = steps.report?.(plan, loaded) ?? "";
  if (report) o.out?.(report);
  return plan;
}

/** Options of {@link applyPlan}. */
export interface ApplyPlanOptions extends RunCommandOptions {
  /** Overwrite files that differ and are not tsop's. Default: false. */
  force?: boolean;
}

/** The file-writing steps a command plugs into {@link CommandSteps}. */
export interface FileSteps {
  plan(files: readonly PlannedFile[]): Promise<ResolvedFile[]>;
  describe(resolved: ResolvedFile[]): string;
  apply(resolved: ResolvedFile[]): Promise<void>;
  report(resolved: ResolvedFile[]): string;
}

/**
 * The plan → apply → report steps of a command that writes files: resolve the files against the
 * disk (conflicts refused before anything is written), write them atomically, list what changed.
 */
export function fileSteps(fs: ProjectFs, root: string, force = false): FileSteps {
  return {
    plan: (files) => resolvePlan(fs, root, files, { force }),
    describe: (resolved) => (resolved.length > 0 ? formatPlan(resolved) : ""),
    apply: async (resolved) => {
      await writePlan(fs, root, resolved);
    },
    report: (resolved) => {
      const changed = resolved.filter((f) => f.action !== "unchanged");
      return changed.length > 0 ? formatPlan(changed) : "";
    },
  };
}

/** Plans, prints and writes a list of files (the lifecycle with `load` = the files); returns them resolved. */
export async function applyPlan(fs: ProjectFs, root: string, files: readonly PlannedFile[], o: ApplyPlanOptions = {}): Promise<ResolvedFile[]> {
  const steps = fileSteps(fs, root, o.force ?? false);
  return runCommand({ load: () => files, plan: steps.plan, describe: steps.describe, apply: steps.apply, report: steps.report }, o);
}
