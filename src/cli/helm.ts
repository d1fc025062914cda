/**
 * `tsop helm [--version V]` (kubebuilder's helm plugin): writes dist/chart/ from config/default,
 * keeping the user's dist/chart/values.yaml and adding new keys to it.
 * @module
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { parseAllDocuments } from "yaml";
import { CHART_DIR, buildChart } from "../deploy/helm-chart.js";
import { renderProject } from "../deploy/render.js";
import { UserError } from "../errors.js";
import type { KubeObjectLike } from "../kube/objects.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";
import { SEMVER } from "../project/names.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";

/** Flags of `tsop helm`. */
export interface HelmFlags {
  version?: string;
  dryRun: boolean;
}

/** config/network-policy's objects, named and placed as config/default would (it is opt-in there). */
function networkPolicies(root: string, projectName: string): KubeObjectLike[] {
  let text: string;
  try { text = readFileSync(path.join(root, "config/network-policy/allow-metrics-traffic.yaml"), "utf8"); } catch { return []; }
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObjectLike | null).filter((o): o is KubeObjectLike => o?.kind === "NetworkPolicy").map((o) => ({
    ...o, metadata: { ...o.metadata, name: `${projectName}-${o.metadata?.name ?? ""}`, namespace: `${projectName}-system` },
  }));
}

/** Runs `helm` in the project at `root`. */
export async function runHelm(root: string, flags: HelmFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const version = flags.version ?? "0.1.0";
  const files = fileSteps(fs, root, true);
  await runCommand({
    load: async () => {
      const project = await loadProject((f) => fs.readFile(f), path.join(root, PROJECT_FILE));
      if (!SEMVER.test(version)) throw new UserError("invalid-flag", `--version ${version} is not a semantic version`, { hint: "Helm chart versions look like 0.1.0 or 1.2.3-rc.1" });
      const rendered = await renderProject(root, undefined, (line) => process.stderr.write(`${line}\n`));
      const values = await fs.readFile(path.join(root, CHART_DIR, "values.yaml"));
      return { project, objects: rendered.objects, values };
    },
    plan: ({ project, objects, values }) => files.plan(buildChart(project, objects, networkPolicies(root, project.projectName), values, version).map((f) => ({ ...f, ifExists: "overwrite" as const }))),
    describe: files.describe,
    apply: files.apply,
    report: (resolved) => `${files.report(resolved) || `unchanged ${CHART_DIR}\n`}Install with:\n  helm install <release> ${CHART_DIR} --namespace <ns> --create-namespace --set manager.image.repository=<image> --set manager.image.tag=<tag>\n`,
  }, { dryRun: flags.dryRun, out });
}

/** Registers `tsop helm`. */
export function registerHelm(program: Command): void {
  program
    .command("helm")
    .description(`Write a Helm chart of the operator to ${CHART_DIR}/ from config/ (CRDs, RBAC, manager, metrics, NetworkPolicy, webhooks); keeps your values.yaml`)
    .option("--version <version>", "the chart's version and appVersion (semver)", "0.1.0")
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop manifests && tsop helm
  tsop helm --version 1.2.0
  helm install memcached-operator ${CHART_DIR} -n memcached-operator-system --create-namespace`)
    .action(async (flags: HelmFlags) => {
      await runHelm(process.cwd(), flags);
    });
}
