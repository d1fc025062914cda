/**
 * `tsop install` / `tsop uninstall`: the project's CRDs on the cluster of the kubeconfig
 * (kubebuilder's `make install` / `make uninstall`), server-side applied with field manager `tsop`.
 * @module
 */
import * as path from "node:path";
import type { Command } from "commander";
import { crdNames, installCrdsOn, projectCrds, uninstallCrdsFrom } from "../deploy/crds.js";
import type { ClusterFlags } from "../kube/connect.js";
import { nodeFs } from "../project/fs.js";
import { runCommand } from "../project/lifecycle.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { clusterFlags, withClusterFlags } from "./cluster-flags.js";

/** Flags of `tsop install` and `tsop uninstall`. */
export interface InstallFlags extends ClusterFlags {
  dryRun: boolean;
  /** uninstall only. */
  ignoreNotFound?: boolean;
}

type Out = (s: string) => void;
const stdout: Out = (s) => process.stdout.write(s);

async function loadCrds(root: string): Promise<ReturnType<typeof projectCrds>> {
  const project = await loadProject((f) => nodeFs.readFile(f), path.join(root, PROJECT_FILE));
  return projectCrds(root, project);
}

/**
 * True when npm runs the package's `install` script as part of `npm install`/`npm ci` (the
 * generated package.json's `install` script is `tsop install`, for `npm run install`).
 */
export function isNpmInstallHook(env: NodeJS.ProcessEnv = process.env): boolean {
  return env["npm_lifecycle_event"] === "install" && env["npm_command"] !== undefined && env["npm_command"] !== "run-script" && env["npm_command"] !== "run";
}

/** Runs `install` in the project at `root`. */
export async function runInstall(root: string, flags: InstallFlags, out: Out = stdout): Promise<void> {
  await runCommand({
    load: () => loadCrds(root),
    plan: (crds) => crds,
    describe: (crds) => crdNames(crds).map((n) => `apply CustomResourceDefinition ${n}\n`).join(""),
    apply: (crds) => installCrdsOn(clusterFlags(flags), crds, (line) => out(`${line}\n`)),
    report: (crds) => `${crds.length} CRD${crds.length === 1 ? "" : "s"} installed and Established\n\nNext: run the operator (tsop run), or deploy it (tsop deploy --img <image>), then apply a sample:\n  kubectl apply -k config/samples\n`,
  }, { dryRun: flags.dryRun, out, dryRunHeader: "dry run, nothing applied:" });
}

/** Runs `uninstall` in the project at `root`. */
export async function runUninstall(root: string, flags: InstallFlags, out: Out = stdout): Promise<void> {
  await runCommand({
    load: () => loadCrds(root),
    plan: (crds) => crds,
    describe: (crds) => crdNames(crds).map((n) => `delete CustomResourceDefinition ${n}\n`).join(""),
    apply: (crds) => uninstallCrdsFrom(clusterFlags(flags), crds, flags.ignoreNotFound ?? false, (line) => out(`${line}\n`)),
    report: () => "CRDs uninstalled (with every custom resource of their kinds)\n",
  }, { dryRun: flags.dryRun, out, dryRunHeader: "dry run, nothing deleted:" });
}

/** Registers `tsop install` and `tsop uninstall`. */
export function registerInstall(program: Command): void {
  withClusterFlags(
    program
      .command("install")
      .description("Install the project's CRDs (config/crd/bases) into the cluster: server-side apply, wait until Established"),
  )
    .option("--dry-run", "print what would be applied and change nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop manifests && tsop install
  tsop install --context kind-dev
  npm run install                 # the generated package.json's script (like make install)`)
    .action(async (flags: InstallFlags) => {
      if (isNpmInstallHook()) {
        process.stderr.write("tsop install: skipped during npm install (npm runs a package's install script); install the CRDs with npm run install\n");
        return;
      }
      await runInstall(process.cwd(), flags);
    });
  withClusterFlags(
    program
      .command("uninstall")
      .description("Delete the project's CRDs (and all their custom resources) from the cluster; waits until they are gone"),
  )
    .option("--ignore-not-found", "a CRD that is not installed is not an error", false)
    .option("--dry-run", "print what would be deleted and change nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop uninstall
  tsop uninstall --ignore-not-found --kubeconfig ~/.kube/staging`)
    .action(async (flags: InstallFlags) => {
      await runUninstall(process.cwd(), flags);
    });
}
