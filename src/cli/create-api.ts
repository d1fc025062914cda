/**
 * `tsop create api`: adds a kind (types, sample, roles, CRD entry) and its controller to a project.
 * @module
 */
import * as path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { applyPlan } from "../project/apply.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { validateGroup, validateKind, validatePlural, validateVersion } from "../project/names.js";
import { pluralize } from "../project/plural.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { planCreateApi } from "../scaffold/create-api.js";

/** Flags of `tsop create api` as commander parses them. */
export interface CreateApiFlags {
  group: string;
  version: string;
  kind: string;
  plural?: string;
  namespaced: boolean;
  resource: boolean;
  controller: boolean;
  force: boolean;
  dryRun: boolean;
}

/** Runs `create api` in the project at `root`: load PROJECT, validate, plan, write (PROJECT last). */
export async function runCreateApi(root: string, flags: CreateApiFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const project = await loadProject((f) => fs.readFile(f), path.join(root, PROJECT_FILE));
  validateKind(flags.kind);
  validateGroup(flags.group, project.domain);
  validateVersion(flags.version);
  const plural = flags.plural ?? pluralize(flags.kind);
  validatePlural(plural);
  const { files } = await planCreateApi(fs, root, project, {
    group: flags.group,
    version: flags.version,
    kind: flags.kind,
    plural,
    namespaced: flags.namespaced,
    resource: flags.resource,
    controller: flags.controller,
    force: flags.force,
  });
  await applyPlan(fs, root, files, { force: flags.force, dryRun: flags.dryRun, out });
  if (!flags.dryRun) {
    const f = flags.kind.toLowerCase();
    out(`\nNext: edit src/api/${flags.group}/${flags.version}/${f}.ts and src/controllers/${f}.controller.ts, then:\n  tsop manifests\n`);
  }
}

function parseBool(v: string): boolean {
  if (v === "true") return true;
  if (v === "false") return false;
  throw new InvalidArgumentError("must be true or false.");
}

/** Registers `tsop create` and its `api` subcommand. */
export function registerCreate(program: Command): void {
  // `create api --version v1` must reach the subcommand, not the program's own --version.
  program.enablePositionalOptions();
  const create = program.command("create").description("Scaffold new parts of a project").showHelpAfterError(false);
  create
    .command("api")
    .description("Scaffold a kind (API types) and its controller")
    .requiredOption("--group <group>", "API group without the domain, e.g. cache")
    .requiredOption("--version <version>", "API version, e.g. v1alpha1")
    .requiredOption("--kind <kind>", "kind, PascalCase, e.g. Memcached")
    .option("--plural <plural>", "plural resource name (default: the English plural of the kind, lower-case)")
    .option("--namespaced [bool]", "true for a namespaced kind, false for cluster-scoped", parseBool, true)
    .option("--resource [bool]", "scaffold the API types", parseBool, true)
    .option("--controller [bool]", "scaffold the controller", parseBool, true)
    .option("--force", "scaffold an existing kind again, overwriting its files", false)
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop create api --group cache --version v1alpha1 --kind Memcached
  tsop create api --group infra --version v1 --kind Cluster --namespaced=false
  tsop create api --group net --version v1beta1 --kind Proxy --plural proxies --controller=false`)
    .action(async (flags: CreateApiFlags) => {
      await runCreateApi(process.cwd(), flags);
    });
}
