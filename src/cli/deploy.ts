/**
 * `tsop deploy` / `tsop undeploy` (kubebuilder's `make deploy IMG=...` / `make undeploy`): renders
 * config/default with kustomize, the image set by `--img`, and server-side applies it in dependency
 * order (Namespace, CRDs, RBAC, the rest); undeploy deletes the same objects in reverse order.
 * @module
 */
import type { Command } from "commander";
import { renderProject, type Rendered } from "../deploy/render.js";
import { connect, type ClusterFlags } from "../kube/connect.js";
import { applyObjects, deleteObjects, describeObject } from "../kube/objects.js";
import { runCommand } from "../project/lifecycle.js";
import { clusterFlags, withClusterFlags } from "./cluster-flags.js";

/** Flags of `tsop deploy` and `tsop undeploy`. */
export interface DeployFlags extends ClusterFlags {
  img?: string;
  dryRun: boolean;
}

type Out = (s: string) => void;
const stdout: Out = (s) => process.stdout.write(s);
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function imageOf(r: Rendered): string | undefined {
  for (const o of r.objects) {
    if (o.kind !== "Deployment") continue;
    const containers = (o as { spec?: { template?: { spec?: { containers?: { name?: string; image?: string }[] } } } }).spec?.template?.spec?.containers ?? [];
    const manager = containers.find((c) => c.name === "manager") ?? containers[0];
    if (manager?.image) return manager.image;
  }
  return undefined;
}

/** Runs `deploy` in the project at `root`. */
export async function runDeploy(root: string, flags: DeployFlags, out: Out = stdout): Promise<void> {
  await runCommand({
    load: () => renderProject(root, flags.img, progress),
    plan: (r) => r,
    describe: (r) => r.objects.map((o) => `apply ${describeObject(o)}\n`).join(""),
    apply: async (r) => {
      const cluster = await connect(clusterFlags(flags));
      try {
        await applyObjects(cluster.send, r.objects, { fieldManager: "tsop", onApplied: (o) => out(`applied ${describeObject(o)}\n`) });
      } finally {
        cluster.close();
      }
    },
    report: (r) => {
      const ns = r.objects.find((o) => o.kind === "Namespace")?.metadata?.name;
      const deployment = r.objects.find((o) => o.kind === "Deployment");
      const logs = deployment ? `, and watch the manager: kubectl logs -n ${deployment.metadata?.namespace ?? "default"} deploy/${deployment.metadata?.name ?? ""} -f` : "";
      return `deployed ${r.objects.length} objects${ns ? ` into namespace ${ns}` : ""}; the manager runs ${imageOf(r) ?? "(no Deployment)"}\n\nNext: kubectl apply -k config/samples${logs}\n`;
    },
  }, { dryRun: flags.dryRun, out, dryRunHeader: "dry run, nothing applied:" });
}

/** Runs `undeploy` in the project at `root`. */
export async function runUndeploy(root: string, flags: DeployFlags, out: Out = stdout): Promise<void> {
  await runCommand({
    load: () => renderProject(root, undefined, progress),
    plan: (r) => r.objects,
    describe: (objects) => [...objects].reverse().map((o) => `delete ${describeObject(o)}\n`).join(""),
    apply: async (objects) => {
      const cluster = await connect(clusterFlags(flags));
      try {
        await deleteObjects(cluster.send, objects, { ignoreNotFound: true, onDeleted: (o) => out(`deleted ${describeObject(o)}\n`) });
      } finally {
        cluster.close();
      }
    },
    report: () => "undeployed: every object of config/default is gone\n",
  }, { dryRun: flags.dryRun, out, dryRunHeader: "dry run, nothing deleted:" });
}

/** Registers `tsop deploy` and `tsop undeploy`. */
export function registerDeploy(program: Command): void {
  withClusterFlags(
    program
      .command("deploy")
      .description("Deploy the operator (config/default: namespace, CRDs, RBAC, manager) to the cluster with the image --img"),
  )
    .option("--img <image>", "the manager's image, e.g. quay.io/acme/memcached-operator:v0.1.0 (default: controller:latest)")
    .option("--dry-run", "print the objects that would be applied and change nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop deploy --img quay.io/acme/memcached-operator:v0.1.0
  tsop deploy --img localhost:5000/op:dev --context kind-dev
  npm run deploy -- --img quay.io/acme/memcached-operator:v0.1.0   # like make deploy IMG=...`)
    .action(async (flags: DeployFlags) => {
      await runDeploy(process.cwd(), flags);
    });
  withClusterFlags(
    program
      .command("undeploy")
      .description("Delete what tsop deploy applied (reverse order) and wait until it is gone; objects already gone are fine"),
  )
    .option("--dry-run", "print the objects that would be deleted and change nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop undeploy
  tsop undeploy --context kind-dev`)
    .action(async (flags: DeployFlags) => {
      await runUndeploy(process.cwd(), flags);
    });
}
