/**
 * `init --force` in an existing project: the fresh scaffold keeps what `create api` and
 * `create webhook` recorded. PROJECT keeps its resources, src/main.ts registers their reconcilers
 * and webhooks again, and the kustomizations list their CRDs, samples and roles (and enable the
 * webhook patches) again.
 * @module
 */
import * as path from "node:path";
import { fullGroup, type ProjectConfig } from "../project/model.js";
import type { PlannedFile } from "../project/plan.js";
import { PROJECT_FILE, serializeProject } from "../project/project-file.js";
import { resourcePaths } from "./create-api.js";
import { addKustomizeResources } from "./kustomize.js";
import { addReconcilerToMain, addWebhookToMain } from "./main-ts.js";
import { enableWebhooksInDefault } from "./webhook-kustomize.js";

/** Rewrites the planned files of `init` so they keep `previous`'s resources; returns the new list. */
export async function keepResources(files: readonly PlannedFile[], fresh: ProjectConfig, previous: ProjectConfig): Promise<PlannedFile[]> {
  const resources = previous.resources;
  const out: PlannedFile[] = [];
  for (const f of files) {
    let content = f.content;
    if (f.path === PROJECT_FILE) content = serializeProject({ ...fresh, resources });
    else if (f.path === "src/main.ts") content = await registerAll(content, previous);
    else if (f.path === "config/crd/kustomization.yaml") content = addKustomizeResources(content, owned(previous).map((r) => resourcePaths(r).crd.replace("config/crd/", "")), f.path);
    else if (f.path === "config/samples/kustomization.yaml") content = addKustomizeResources(content, owned(previous).map((r) => path.posix.basename(resourcePaths(r).sample)), f.path);
    else if (f.path === "config/default/kustomization.yaml" && resources.some((r) => r.webhooks)) content = enableWebhooksInDefault(content, [...new Set(resources.filter((r) => r.webhooks?.conversion).map((r) => `${r.plural}.${fullGroup(r)}`))]);
    else if (f.path === "config/rbac/kustomization.yaml") content = addKustomizeResources(content, owned(previous).flatMap((r) => resourcePaths(r).roles.map((p) => path.posix.basename(p))), f.path);
    out.push(content === f.content ? f : { ...f, content });
  }
  return out;
}

/** Own kinds (a CRD, sample and roles of this project), one entry per file. */
function owned(p: ProjectConfig): ProjectConfig["resources"] {
  const seen = new Set<string>();
  return p.resources.filter((r) => r.crd !== false && !seen.has(`${fullGroup(r)}/${r.kind}/${r.version}`) && seen.add(`${fullGroup(r)}/${r.kind}/${r.version}`));
}

const camel = (kind: string): string => kind.charAt(0).toLowerCase() + kind.slice(1);

/** main.ts with every recorded controller and webhook registered (the names `create api` and `create webhook` use). */
async function registerAll(main: string, p: ProjectConfig): Promise<string> {
  let text = main;
  for (const r of p.resources) {
    const file = r.kind.toLowerCase();
    if (r.controller) text = await addReconcilerToMain(text, { className: `${r.kind}Reconciler`, moduleSpecifier: `./controllers/${file}.controller.js` });
    const w = r.webhooks;
    const names = [w?.defaulting || w?.validation ? `${camel(r.kind)}Webhook` : "", w?.conversion ? `${camel(r.kind)}Conversion` : ""].filter(Boolean);
    for (const name of names) text = await addWebhookToMain(text, { name, moduleSpecifier: `./webhooks/${r.group}/${r.version}/${file}.webhook.js` });
  }
  return text;
}
