/**
 * `tsop build-installer [--img IMG]` (kubebuilder's `make build-installer`): config/default rendered
 * with the image into one deterministic dist/install.yaml, Namespace and CRDs first, for
 * `kubectl apply --server-side -f dist/install.yaml`.
 * @module
 */
import type { Command } from "commander";
import { installerYaml, renderProject } from "../deploy/render.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";

/** Where the installer goes, as in kubebuilder. */
export const INSTALLER = "dist/install.yaml";

/** Flags of `tsop build-installer`. */
export interface BuildInstallerFlags {
  img?: string;
  dryRun: boolean;
}

/** Runs `build-installer` in the project at `root`. */
export async function runBuildInstaller(root: string, flags: BuildInstallerFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const files = fileSteps(fs, root);
  await runCommand({
    load: () => renderProject(root, flags.img, (line) => process.stderr.write(`${line}\n`)),
    plan: (r) => files.plan([{ path: INSTALLER, content: installerYaml(r.objects), ifExists: "overwrite" }]),
    describe: files.describe,
    apply: files.apply,
    report: (resolved, r) => `${files.report(resolved) || `unchanged ${INSTALLER}\n`}${r.objects.length} objects; install with:\n  kubectl apply --server-side -f ${INSTALLER}\n`,
  }, { dryRun: flags.dryRun, out });
}

/** Registers `tsop build-installer`. */
export function registerBuildInstaller(program: Command): void {
  program
    .command("build-installer")
    .description(`Render config/default with the image into one file, ${INSTALLER} (CRDs, RBAC, manager), for users to apply`)
    .option("--img <image>", "the manager's image, e.g. quay.io/acme/memcached-operator:v0.1.0 (default: controller:latest)")
    .option("--dry-run", "print the file that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop build-installer --img quay.io/acme/memcached-operator:v0.1.0
  kubectl apply --server-side -f ${INSTALLER}     # what your users run`)
    .action(async (flags: BuildInstallerFlags) => {
      await runBuildInstaller(process.cwd(), flags);
    });
}
