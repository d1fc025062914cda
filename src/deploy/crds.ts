/**
 * A project's CRDs on a cluster: `tsop install` and `tsop run` (apply), `tsop uninstall` (delete).
 * @module
 */
import * as path from "node:path";
import { existsSync } from "node:fs";
import { UserError } from "../errors.js";
import { connect, type ClusterFlags } from "../kube/connect.js";
import { applyCrds, deleteCrds, loadCrds, type CrdObject } from "../kube/crds.js";
import type { ProjectConfig } from "../project/model.js";
import { resourcePaths } from "../scaffold/create-api.js";

/** Where `tsop manifests` writes the project's CRDs. */
export const CRD_DIR = "config/crd/bases";

/**
 * The project's CRDs. A CRD file that PROJECT implies but `tsop manifests` has not written yet, or
 * none at all, is a one-line error that says to run `tsop manifests` first.
 */
export function projectCrds(root: string, project: ProjectConfig): CrdObject[] {
  const missing = [...new Set(project.resources.filter((r) => r.crd !== false).map((r) => resourcePaths(r).crd))].filter((f) => !existsSync(path.join(root, f)));
  if (missing.length > 0) {
    throw new UserError("no-crds", `${missing.length === 1 ? "the CRD file is missing" : `${missing.length} CRD files are missing`}: ${missing.join(", ")}`, { hint: "run tsop manifests first" });
  }
  const crds = loadCrds([path.join(root, CRD_DIR)], { missingOk: true });
  if (crds.length === 0) {
    throw new UserError("no-crds", `no CRDs in ${CRD_DIR}`, { location: { file: CRD_DIR }, hint: "run tsop manifests first (and create api for a kind of your own)" });
  }
  return crds;
}

/** CRD names, for plans and messages. */
export function crdNames(crds: readonly CrdObject[]): string[] {
  return crds.map((c) => c.metadata?.name ?? "(unnamed)");
}

/** Server-side applies the CRDs (field manager `tsop`) and waits until each is Established. */
export async function installCrdsOn(flags: ClusterFlags, crds: readonly CrdObject[], log: (line: string) => void): Promise<void> {
  const cluster = await connect(flags);
  try {
    await applyCrds(cluster.send, crds, { fieldManager: "tsop", onApplied: (name) => log(`applied CustomResourceDefinition ${name}`) });
  } finally {
    cluster.close();
  }
}

/** Deletes the CRDs and waits until they are gone. */
export async function uninstallCrdsFrom(flags: ClusterFlags, crds: readonly CrdObject[], ignoreNotFound: boolean, log: (line: string) => void): Promise<void> {
  const cluster = await connect(flags);
  try {
    await deleteCrds(cluster.send, crds, { ignoreNotFound, onDeleted: (name) => log(`deleted CustomResourceDefinition ${name}`) });
  } finally {
    cluster.close();
  }
}
