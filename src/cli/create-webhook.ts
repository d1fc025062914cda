/**
 * `tsop create webhook`: defaulting, validating and conversion webhooks for a kind.
 * @module
 */
import * as path from "node:path";
import type { Command } from "commander";
import { boolFlag, noFlag } from "./bool-flag.js";
import { UserError } from "../errors.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { validateKind, validateVersion } from "../project/names.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { planCreateWebhook } from "../scaffold/create-webhook.js";

/** Flags of `tsop create webhook` as commander parses them. */
export interface CreateWebhookFlags {
  group?: string;
  version?: string;
  kind?: string;
  defaulting: boolean;
  programmaticValidation: boolean;
  conversion: boolean;
  spoke?: string;
  force: boolean;
  dryRun: boolean;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UserError("missing-flag", `required option '${flag}' not specified`, { hint: "see tsop create webhook --help" });
  return value;
}

/** Runs `create webhook` in the project at `root`: load PROJECT, validate, plan, write (PROJECT last). */
export async function runCreateWebhook(root: string, flags: CreateWebhookFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const files = fileSteps(fs, root, flags.force);
  const spokes = flags.spoke?.split(",").map((s) => s.trim()).filter(Boolean);
  await runCommand({
    load: () => loadProject((f) => fs.readFile(f), path.join(root, PROJECT_FILE)),
    validate: () => {
      validateKind(required(flags.kind, "--kind <kind>"));
      validateVersion(required(flags.version, "--version <version>"));
      required(flags.group, "--group <group>");
      for (const s of spokes ?? []) validateVersion(s);
    },
    plan: async (project) => {
      const planned = await planCreateWebhook(fs, root, project, {
        group: flags.group as string, version: flags.version as string, kind: flags.kind as string,
        defaulting: flags.defaulting, validation: flags.programmaticValidation, conversion: flags.conversion,
        ...(spokes ? { spokes } : {}), force: flags.force,
      });
      return files.plan(planned.files);
    },
    describe: files.describe,
    apply: files.apply,
    report: (resolved) => `${files.report(resolved)}\nNext: write the hooks in src/webhooks/${flags.group}/${flags.version}/${(flags.kind as string).toLowerCase()}.webhook.ts, then:\n  tsop manifests\n`,
  }, { dryRun: flags.dryRun, out });
}

/** Registers `tsop create webhook` under `create`. */
export function registerCreateWebhook(create: Command): void {
  create
    .command("webhook")
    .description("Scaffold defaulting, validating and/or conversion webhooks for a kind")
    .option("--group <group>", "API group without the domain, as in PROJECT (core, apps, batch, networking for built-in kinds) (required)")
    .option("--version <version>", "API version; with --conversion the hub (storage) version (required)")
    .option("--kind <kind>", "kind, e.g. Memcached or Pod (required)")
    .addOption(boolFlag("defaulting", "a mutating webhook with default(obj)", false)).addOption(noFlag("defaulting"))
    .addOption(boolFlag("programmatic-validation", "a validating webhook with validateCreate/validateUpdate/validateDelete", false)).addOption(noFlag("programmatic-validation"))
    .addOption(boolFlag("conversion", "a conversion webhook: this version is the hub, the others convert to and from it", false)).addOption(noFlag("conversion"))
    .option("--spoke <versions>", "with --conversion: the spoke versions, comma-separated (default: every other version)")
    .option("--force", "scaffold the webhook file again, overwriting it", false)
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop create webhook --group cache --version v1alpha1 --kind Memcached --defaulting --programmatic-validation
  tsop create webhook --group cache --version v1 --kind Memcached --conversion --spoke v2
  tsop create webhook --group core --version v1 --kind Pod --defaulting     # a built-in kind`)
    .action(async (flags: CreateWebhookFlags) => {
      await runCreateWebhook(process.cwd(), flags);
    });
}
