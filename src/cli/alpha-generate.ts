/**
 * `tsop alpha generate` (kubebuilder's `alpha generate`): scaffolds the project again from its
 * PROJECT with this tsop (init, then every create api and create webhook PROJECT records) in a
 * fresh tree, and carries the user's sources and edits over (see scaffold/upgrade-merge.ts).
 * In place by default (`--input-dir` = `--output-dir` = the current directory), where it never
 * overwrites a file the user changed; or into an empty `--output-dir`.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, promises as fsp, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../did-you-mean.js";
import { UserError } from "../errors.js";
import { fullGroup, type ProjectConfig, type ProjectResource } from "../project/model.js";
import { nodeFs } from "../project/fs.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { isBuiltInResource } from "../project/builtin-kinds.js";
import { tsopRoot } from "../project/tsop-package.js";
import { BOILERPLATE_FILE } from "../scaffold/init.js";
import { mergeUpgrade, type Tree, type UpgradeMerge } from "../scaffold/upgrade-merge.js";

/** Flags of `tsop alpha generate`. */
export interface AlphaGenerateFlags {
  inputDir?: string;
  outputDir?: string;
  force: boolean;
  dryRun: boolean;
}

/** Never read from the project: installed, built, cached or version-control state. */
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", ".tsop", "coverage"]);

/** Every file under `root` (except SKIP_DIRS and `exclude`), by relative path. */
async function readTree(root: string, exclude?: string): Promise<Tree> {
  const out: Tree = new Map();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fsp.readdir(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(root, r);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && abs !== exclude) await walk(r);
      } else if (e.isFile()) out.set(r, await fsp.readFile(abs));
    }
  };
  await walk("");
  return out;
}

/** init's license flags from the project's license header (hack/boilerplate.ts.txt; none without it). */
function licenseFlags(boilerplate: string | undefined): string[] {
  if (boilerplate === undefined) return ["--license", "none"];
  const owner = /Copyright \d+ ?(.*)\.$/m.exec(boilerplate)?.[1] ?? "";
  return ["--license", "apache2", "--owner", owner];
}

/** The tsop commands that scaffold `p` again, in PROJECT's order: init, create api..., create webhook... */
export function replaySteps(p: ProjectConfig, boilerplate: string | undefined, input: string): { apis: string[][]; webhooks: string[][]; init: string[] } {
  const init = ["init", "--domain", p.domain, "--repo", p.repo, "--project-name", p.projectName, ...licenseFlags(boilerplate), ...(p.namespaced ? ["--namespaced"] : [])];
  const apis: string[][] = [];
  for (const r of p.resources) {
    const controller = `--controller=${r.controller}`;
    if (isBuiltInResource(r)) apis.push(["create", "api", "--group", r.group, "--version", r.version, "--kind", r.kind, "--resource=false", controller]);
    else if (!r.crd) apis.push(["create", "api", "--external", "--from-crd", path.join(input, externalCrdFile(r)), "--version", r.version, controller]);
    else apis.push(["create", "api", "--group", r.group, "--version", r.version, "--kind", r.kind, "--plural", r.plural, `--namespaced=${r.namespaced}`, controller]);
  }
  const webhooks = p.resources.filter((r) => r.webhooks).map((r) => {
    const w = r.webhooks!;
    return ["create", "webhook", "--group", r.group, "--version", r.version, "--kind", r.kind,
      ...(w.defaulting ? ["--defaulting"] : []), ...(w.validation ? ["--programmatic-validation"] : []),
      ...(w.conversion ? ["--conversion", ...(w.spoke?.length ? ["--spoke", w.spoke.join(",")] : [])] : [])];
  });
  return { init, apis, webhooks };
}

/** Where `create api --external --from-crd` keeps the kind's CRD (the replay reads it back). */
const externalCrdFile = (r: ProjectResource): string => `test/crds/${fullGroup(r)}_${r.plural}.yaml`;

/**
 * Scaffolds `project` with the tsop CLI at `bin` into a new temporary directory and returns its
 * tree. The user's API type files go in before the webhooks (a conversion webhook reads the hub's
 * @storageVersion from them), and the replay's license header becomes the project's (same year).
 */
async function replay(bin: string, project: ProjectConfig, input: string, old: Tree): Promise<Tree> {
  const dir = await fsp.mkdtemp(path.join(tmpdir(), "tsop-generate-"));
  try {
    const root = path.join(dir, project.projectName);
    await fsp.mkdir(root);
    const boilerplate = old.get(BOILERPLATE_FILE)?.toString("utf8");
    const steps = replaySteps(project, boilerplate, input);
    const run = (args: string[]): void => {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
      if (r.status !== 0) {
        const why = (r.stderr || r.stdout).trim().split("\n")[0]?.replace(/^error: /, "") ?? `exit ${String(r.status)}`;
        throw new UserError("replay-failed", `scaffolding again failed at \`tsop ${args.join(" ")}\`: ${why}`, { hint: "fix PROJECT or the file named, then run tsop alpha generate again" });
      }
    };
    run(steps.init);
    for (const a of steps.apis) run(a);
    for (const r of project.resources) {
      const types = r.path ? old.get(r.path) : undefined;
      if (types) await fsp.writeFile(path.join(root, r.path), types);
    }
    for (const w of steps.webhooks) run(w);
    const tree = await readTree(root);
    const header = tree.get(BOILERPLATE_FILE)?.toString("utf8");
    if (header && boilerplate && header !== boilerplate) {
      for (const [p, b] of tree) if (!b.includes(0)) tree.set(p, Buffer.from(b.toString("utf8").replaceAll(header, boilerplate)));
    }
    return tree;
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** The tsop the project has installed (node_modules/tsop), when it has one: the scaffold it writes is the merge's base. */
function installedTsop(input: string): string | undefined {
  const bin = path.join(input, "node_modules/tsop/bin/tsop.js");
  return existsSync(bin) ? bin : undefined;
}

/** True when the installed tsop is this very copy (a project linked to it): its scaffold is the fresh one. */
function isThisTsop(bin: string): boolean {
  return realpathSync(path.dirname(path.dirname(bin))) === realpathSync(tsopRoot());
}

function directory(flag: string, value: string, cwd: string): string {
  const abs = path.resolve(cwd, value);
  let st;
  try { st = statSync(abs); } catch { throw new UserError("invalid-flag", `${flag} ${value} does not exist`, { hint: "pass the directory of a tsop project (the one with PROJECT)" }); }
  if (!st.isDirectory()) throw new UserError("invalid-flag", `${flag} ${value} is not a directory`, { hint: "pass the directory of a tsop project (the one with PROJECT)" });
  return realpathSync(abs);
}

/** The output directory: absent, empty, or (in place) the input; another non-empty one needs --force. */
async function outputDir(flags: AlphaGenerateFlags, input: string): Promise<string> {
  if (flags.outputDir === undefined) return input;
  const abs = path.resolve(flags.outputDir);
  let entries: string[] | undefined;
  try {
    const st = statSync(abs);
    if (!st.isDirectory()) throw new UserError("invalid-flag", `--output-dir ${flags.outputDir} is a file`, { hint: "pass a new or empty directory" });
    if (realpathSync(abs) === input) return input;
    entries = await fsp.readdir(abs);
  } catch (err) {
    if (err instanceof UserError) throw err;
    return abs; // does not exist yet
  }
  if (entries.length > 0 && !flags.force) {
    throw new UserError("dir-not-empty", `--output-dir ${flags.outputDir} is not empty`, { hint: "pass a new or empty directory, or --force to write into it" });
  }
  return abs;
}

/** Runs `alpha generate`. */
export async function runAlphaGenerate(cwd: string, flags: AlphaGenerateFlags, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<UpgradeMerge | undefined> {
  let merge: UpgradeMerge | undefined;
  let target = "";
  await runCommand({
    load: async () => {
      const input = directory("--input-dir", flags.inputDir ?? ".", cwd);
      const project = await loadProject((f) => nodeFs.readFile(f), path.join(input, PROJECT_FILE));
      const output = await outputDir({ ...flags, ...(flags.outputDir === undefined ? {} : { outputDir: path.resolve(cwd, flags.outputDir) }) }, input);
      return { input, project, output };
    },
    plan: async ({ input, project, output }) => {
      target = output;
      const old = await readTree(input, output === input ? undefined : output);
      const fresh = await replay(path.join(tsopRoot(), "bin/tsop.js"), project, input, old);
      const installed = installedTsop(input);
      let base: Tree | undefined;
      if (installed && isThisTsop(installed)) base = fresh;
      else if (installed) {
        try {
          base = await replay(installed, project, input, old);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          err(`note: the project's own tsop (node_modules/tsop) could not scaffold it again (${e.message}); files that differ from the new scaffold are kept as yours\n`);
        }
      }
      merge = mergeUpgrade(old, fresh, base);
      const inPlace = output === input;
      const files = [...merge.files]
        .filter(([p, b]) => !inPlace || !old.get(p)?.equals(b))
        .map(([p, b]) => (b.includes(0) || !isUtf8(b) ? { path: p, content: b.toString("base64"), encoding: "base64" as const, ifExists: "overwrite" as const } : { path: p, content: b.toString("utf8"), ifExists: "overwrite" as const }));
      return fileSteps(nodeFs, output, true).plan(files);
    },
    describe: (resolved) => fileSteps(nodeFs, target, true).describe(resolved),
    apply: (resolved) => fileSteps(nodeFs, target, true).apply(resolved),
    report: (resolved) => {
      const m = merge!;
      const carried = m.carried.length > 0 ? `carried over as they are: ${m.carried.length} of your files (API types, controllers, webhooks, tests, generated manifests and files tsop does not write)\n` : "";
      const deleted = m.deleted.length > 0 ? `left out, as you deleted them: ${m.deleted.join(", ")}\n` : "";
      const kept = m.kept.length > 0 ? `kept yours, though the new scaffold writes them differently (compare by hand): ${m.kept.join(", ")}\n` : "";
      const where = target === process.cwd() ? "" : `cd ${path.relative(process.cwd(), target) || "."} && `;
      return `${fileSteps(nodeFs, target, true).report(resolved) || "unchanged: the project already has the current layout\n"}${carried}${deleted}${kept}Next: ${where}npm install && tsop manifests && npm test\n`;
    },
  }, { dryRun: flags.dryRun, out });
  return merge;
}

function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString("utf8"), "utf8").equals(b);
}

/** Registers `tsop alpha` and its `generate` subcommand. */
export function registerAlpha(program: Command): void {
  const alpha = program
    .command("alpha")
    .description("Experimental commands")
    .argument("[what]", "the subcommand: generate")
    .allowExcessArguments(true)
    .allowUnknownOption(true)
    .showHelpAfterError(false)
    .action((what: string | undefined) => {
      const near = what === undefined ? undefined : didYouMean(what, ["generate"]);
      throw new UserError("unknown-command", what === undefined || what.startsWith("-") ? "tsop alpha needs a subcommand" : `unknown command 'alpha ${what}'`, { hint: near ? `did you mean tsop alpha ${near}?` : "the subcommand is tsop alpha generate; see tsop alpha --help" });
    });
  alpha
    .command("generate")
    .description("Scaffold the project again from PROJECT with this tsop, carrying your sources and edits over")
    .option("--input-dir <dir>", "the project to upgrade (default: the current directory)")
    .option("--output-dir <dir>", "where to write the upgraded project (default: the input directory, in place)")
    .option("--force", "write into a non-empty --output-dir", false)
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
In place, files you changed are never overwritten: only files you left as tsop wrote them are
upgraded and new ones added. Files both you and the new scaffold changed are kept as yours and listed.

Examples:
  tsop alpha generate                                   # upgrade the project in the current directory
  tsop alpha generate --output-dir ../memcached-operator-next
  tsop alpha generate --input-dir old/ --output-dir new/ --dry-run`)
    .action(async (flags: AlphaGenerateFlags) => {
      await runAlphaGenerate(process.cwd(), flags);
    });
}
