/**
 * `tsop init`: scaffolds a new operator project in the current directory.
 * @module
 */
import * as path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { boolFlag, noFlag } from "./bool-flag.js";
import { UserError } from "../errors.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { projectNameFromDir, validateInitDomain, validateOwner, validateProjectName, validateRepo } from "../project/names.js";
import type { ProjectConfig } from "../project/model.js";
import { parseProject, PROJECT_FILE } from "../project/project-file.js";
import { tsopDependency } from "../project/tsop-package.js";
import { planInit, type InitOptions } from "../scaffold/init.js";
import { keepResources } from "../scaffold/reinit.js";

/** Flags of `tsop init` as commander parses them. */
export interface InitFlags {
  domain: string;
  repo?: string;
  projectName?: string;
  owner: string;
  license: "apache2" | "none";
  namespaced: boolean;
  force: boolean;
  dryRun: boolean;
}

/** The PROJECT already in `root` (undefined when none); a corrupt one is refused, so --force never drops its resources. */
async function loadPrevious(fs: ProjectFs, root: string): Promise<ProjectConfig | undefined> {
  const text = await fs.readFile(path.join(root, PROJECT_FILE));
  return text === undefined ? undefined : parseProject(text);
}

/** Files that may be in a directory before `init` without `--force`. */
function isAllowedBeforeInit(name: string): boolean {
  return name.startsWith(".") || /^(README|LICENSE|LICENCE|COPYING)(\..*)?$/i.test(name);
}

/** Runs `init` in `root`: load (the directory), validate, plan, write, report. */
export async function runInit(root: string, flags: InitFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s), year?: number): Promise<void> {
  const projectName = flags.projectName ?? projectNameFromDir(path.basename(root));
  const repo = flags.repo ?? projectName;
  const files = fileSteps(fs, root, flags.force);
  await runCommand({
    load: async () => (await fs.readdir(root)) ?? [],
    validate: (entries) => {
      validateProjectName(projectName, flags.projectName === undefined);
      validateInitDomain(flags.domain);
      validateRepo(repo);
      validateOwner(flags.owner);
      if (flags.force) return;
      if (entries.includes(PROJECT_FILE)) {
        throw new UserError("already-initialized", "this directory already has a PROJECT file", { location: { file: PROJECT_FILE }, hint: "use tsop create api to extend it, or pass --force to scaffold it again" });
      }
      const others = entries.filter((n) => !isAllowedBeforeInit(n));
      if (others.length > 0) {
        const list = others.slice(0, 5).join(", ") + (others.length > 5 ? `, ... (${others.length} in all)` : "");
        throw new UserError("dir-not-empty", `the directory is not empty: ${list}`, { hint: "run tsop init in an empty directory (dotfiles, README and LICENSE may stay), or pass --force" });
      }
    },
    plan: async () => {
      const tsop = tsopDependency();
      const opts: InitOptions = {
        domain: flags.domain,
        repo,
        projectName,
        owner: flags.owner,
        license: flags.license,
        namespaced: flags.namespaced,
        tsopSpec: tsop.spec,
        ...(tsop.vendored ? { tsopVendored: tsop.vendored } : {}),
        ...(year === undefined ? {} : { year }),
      };
      const planned0 = await planInit(opts);
      // --force in an existing project scaffolds it again but keeps its resources (PROJECT, main.ts, kustomizations).
      const previous = flags.force ? await loadPrevious(fs, root) : undefined;
      const planned = previous ? await keepResources(planned0.files, planned0.project, previous) : planned0.files;
      // A README or .gitignore the user brought along is kept (not an error) unless --force.
      return files.plan(planned.map((f) => (f.path === "README.md" || f.path === ".gitignore" ? { ...f, ifExists: "skip" as const } : f)));
    },
    describe: files.describe,
    apply: files.apply,
    report: (resolved) => `${files.report(resolved)}\nNext: npm install, then define a resource with:\n  tsop create api --group <group> --version v1alpha1 --kind <Kind>\n`,
  }, { dryRun: flags.dryRun, out });
}

function parseLicense(v: string): "apache2" | "none" {
  if (v !== "apache2" && v !== "none") throw new InvalidArgumentError("must be apache2 or none.");
  return v;
}

/** Registers `tsop init`. */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description("Scaffold a new operator project in the current directory")
    .option("--domain <domain>", "domain of the API groups (group cache becomes cache.<domain>)", "my.domain")
    .option("--repo <repo>", "repository path, e.g. github.com/acme/memcached-operator (default: the project name)")
    .option("--project-name <name>", "project name, a DNS label: prefixes object names, namespace <name>-system (default: the directory name)")
    .option("--owner <owner>", "copyright holder in license headers", "")
    .option("--license <license>", "license header of generated files: apache2 or none", parseLicense, "apache2")
    .addOption(boolFlag("namespaced", "watch only the operator's own namespace (Role/RoleBinding, WATCH_NAMESPACE)", false)).addOption(noFlag("namespaced"))
    .option("--force", "scaffold into a non-empty directory, overwriting files tsop would write", false)
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop init --domain example.com --repo github.com/acme/memcached-operator
  tsop init --domain example.com --project-name memcached-operator --namespaced --license none`)
    .action(async (flags: InitFlags) => {
      await runInit(process.cwd(), flags);
    });
}
