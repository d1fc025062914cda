/**
 * `tsop manifests`: CRDs and RBAC from the TypeScript sources, written through the atomic writer;
 * `--check` writes nothing and fails when the files on disk are out of date.
 * @module
 */
import * as path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { parseAllDocuments } from "yaml";
import { UserError, UserErrors } from "../errors.js";
import { compareCrds, type CompatBreak, type Crd } from "../manifests/compat.js";
import { readPreviousCrds } from "./compat-source.js";
import { applyPlan } from "../project/lifecycle.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import type { ProjectConfig } from "../project/model.js";
import { resolvePlan, type PlannedFile } from "../project/plan.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { tuneForShortRun } from "../schema/code-cache.js";

/** The manifests engine's contract (src/cli/manifests-engine.ts over src/manifests). */
export interface ManifestsModule {
  generateManifests(opts: { projectDir: string; project: ProjectConfig; maxDescriptionLength?: number }): Promise<{
    files: { path: string; content: string }[];
    warnings: string[];
  }>;
}

/** Flags of `tsop manifests`. */
export interface ManifestsFlags {
  check: boolean;
  dryRun: boolean;
  maxDescriptionLength?: number;
  /** Compare with the CRDs of a previous release (git ref, directory or YAML file); writes nothing. */
  checkCompat?: string;
  /** Breaking changes (ids or kinds) to let through. */
  accept?: string[];
}

/** Loads the manifests engine lazily: `init` and `create api` never pay for the compiler. */
async function loadEngine(): Promise<ManifestsModule> {
  const specifier = "./manifests-engine.js";
  return (await import(specifier)) as ManifestsModule;
}

/** Runs `manifests` in the project at `root`. */
export async function runManifests(
  root: string,
  flags: ManifestsFlags,
  fs: ProjectFs = nodeFs,
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
  engine?: ManifestsModule,
): Promise<void> {
  const project = await loadProject((f) => fs.readFile(f), path.join(root, PROJECT_FILE));
  const { generateManifests } = engine ?? (await loadEngine());
  const result = await generateManifests({
    projectDir: root,
    project,
    ...(flags.maxDescriptionLength === undefined ? {} : { maxDescriptionLength: flags.maxDescriptionLength }),
  });
  for (const w of result.warnings) err(`warning: ${w}\n`);
  const files: PlannedFile[] = [...result.files]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => ({ path: f.path, content: f.content, ifExists: "overwrite" }));
  if (flags.accept?.length && flags.checkCompat === undefined) {
    throw new UserError("invalid-flag", "--accept needs --check-compat", { hint: "tsop manifests --check-compat <ref> --accept <change>" });
  }
  if (flags.checkCompat !== undefined) {
    checkCompat(root, flags.checkCompat, result.files, flags.accept ?? [], out);
    return;
  }
  if (flags.check) {
    const stale = (await resolvePlan(fs, root, files)).filter((f) => f.action !== "unchanged").map((f) => f.path);
    if (stale.length > 0) {
      throw new UserError("manifests-out-of-date", `out of date: ${stale.join(", ")}`, { hint: "run tsop manifests and commit the result" });
    }
    out("manifests are up to date\n");
    return;
  }
  const resolved = await applyPlan(fs, root, files, { dryRun: flags.dryRun, out });
  if (!flags.dryRun && resolved.every((f) => f.action === "unchanged")) out("manifests are up to date\n");
}

/** `--check-compat`: every breaking change from the previous release's CRDs, one line each; exit 1 when any. */
function checkCompat(root: string, from: string, files: { path: string; content: string }[], accept: string[], out: (s: string) => void): void {
  const { crds: previous, described } = readPreviousCrds(root, from);
  const current = files.filter((f) => f.path.startsWith("config/crd/")).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Crd)).filter((c) => c?.kind === "CustomResourceDefinition");
  const breaks = compareCrds(previous, current, new Set(accept));
  if (breaks.length === 0) {
    out(`compatible with ${described}\n`);
    return;
  }
  const where = (b: CompatBreak): string => `${b.crd} ${b.version}${b.path ? ` ${b.path}` : ""}`;
  throw new UserErrors(breaks.map((b) => new UserError("incompatible-crd", `${where(b)}: ${b.why}`, { hint: `accept it with --accept ${b.id}` })));
}

function parseLength(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number >= 0.");
  return n;
}

/** Registers `tsop manifests`. */
export function registerManifests(program: Command): void {
  program
    .command("manifests")
    .description("Generate CRDs (config/crd/bases) and RBAC (config/rbac/role.yaml) from the TypeScript sources")
    .option("--check", "write nothing; exit 1 listing the files that are out of date", false)
    .option("--max-description-length <n>", "truncate schema descriptions to n characters (0 drops them)", parseLength)
    .option("--dry-run", "print the files that would change and write nothing", false)
    .option("--check-compat <from>", "write nothing; exit 1 listing every change that breaks stored objects or clients of the CRDs at <from> (a git ref, a directory or a YAML file such as dist/install.yaml)")
    .option("--accept <change>", "with --check-compat: let a named change through (its id as printed, or a kind such as field-removed); repeatable", (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(",").map((x) => x.trim()).filter(Boolean)])
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop manifests
  tsop manifests --check                      # in CI: fails when someone forgot to regenerate
  tsop manifests --max-description-length 0   # smaller CRDs
  tsop manifests --check-compat v1.2.0        # breaking CRD changes since the v1.2.0 tag
  tsop manifests --check-compat dist/install.yaml --accept field-removed:widgets.example.com/v1:.spec.legacy`)
    .action(async (flags: ManifestsFlags) => {
      tuneForShortRun(); // this process exits after the command
      await runManifests(process.cwd(), flags);
    });
}
