/**
 * What `deploy`, `undeploy` and `build-installer` share: the project loaded, its CRDs generated,
 * `--img` checked, config/default rendered, the objects in apply order.
 * @module
 */
import * as path from "node:path";
import type { KubeObjectLike } from "../kube/objects.js";
import { applyOrder } from "../kube/objects.js";
import { toYamlDocument } from "../manifests/yaml.js";
import { nodeFs } from "../project/fs.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { projectCrds } from "./crds.js";
import { parseImage, type ImageRef } from "./image.js";
import { findKustomize, renderDefault } from "./kustomize.js";

/** A project's config/default, rendered. */
export interface Rendered {
  /** In apply order: Namespaces, CRDs, RBAC, the rest. */
  objects: KubeObjectLike[];
  image: ImageRef | undefined;
}

/** Loads PROJECT, checks `--img` and the CRD files, renders config/default. */
export async function renderProject(root: string, img: string | undefined, progress: (line: string) => void = () => {}): Promise<Rendered> {
  const project = await loadProject((f) => nodeFs.readFile(f), path.join(root, PROJECT_FILE));
  const image = img === undefined ? undefined : parseImage(img);
  if (project.resources.some((r) => r.crd !== false)) projectCrds(root, project);
  const k = await findKustomize(process.env, progress);
  return { objects: applyOrder(await renderDefault(root, image, k)), image };
}

/** dist/install.yaml: every object of config/default in apply order, deterministic YAML. */
export function installerYaml(objects: readonly KubeObjectLike[]): string {
  return applyOrder(objects).map((o) => toYamlDocument(o)).join("");
}
