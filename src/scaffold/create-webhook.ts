/**
 * The plan of `tsop create webhook`: the webhook file and its test rendered from
 * templates/create-webhook, main.ts registration, the kustomize tree that deploys webhooks with
 * cert-manager (once), and PROJECT's `webhooks` record.
 * @module
 */
import * as path from "node:path";
import { UserError } from "../errors.js";
import { builtInResource, findBuiltInKind, isBuiltInResource } from "../project/builtin-kinds.js";
import type { ProjectFs } from "../project/fs.js";
import { fullGroup, type ProjectConfig, type ProjectResource, type ResourceWebhooks } from "../project/model.js";
import type { PlannedFile } from "../project/plan.js";
import { PROJECT_FILE, serializeProject } from "../project/project-file.js";
import { BOILERPLATE_FILE } from "./init.js";
import { addKustomizeResources } from "./kustomize.js";
import { addWebhookToMain } from "./main-ts.js";
import { renderFile, renderTree } from "./render.js";
import { enableWebhooksInDefault } from "./webhook-kustomize.js";

/** Validated inputs of `tsop create webhook`. */
export interface CreateWebhookOptions {
  group: string;
  version: string;
  kind: string;
  defaulting: boolean;
  validation: boolean;
  conversion: boolean;
  /** Spoke versions of a conversion; default: every other version of the kind in PROJECT. */
  spokes?: string[];
  force: boolean;
}

/** The PROJECT resource a webhook is for: the kind's entry, or a new entry for a built-in kind. */
function resolveResource(project: ProjectConfig, o: CreateWebhookOptions): { resource: ProjectResource; builtIn: boolean } {
  const existing = project.resources.find((r) => r.group === o.group && r.version === o.version && r.kind === o.kind)
    ?? project.resources.find((r) => r.crd === false && fullGroup(r) === o.group && r.version === o.version && r.kind === o.kind);
  if (existing) return { resource: existing, builtIn: isBuiltInResource(existing) };
  const b = findBuiltInKind(o.group, o.version, o.kind);
  if (b) {
    // `--group ""` and `--group core` name the same kind a controller may already have recorded.
    const recorded = project.resources.find((r) => isBuiltInResource(r) && r.group === b.label && r.version === b.version && r.kind === b.kind);
    return { builtIn: true, resource: recorded ?? builtInResource(b, false) };
  }
  const others = project.resources.filter((r) => r.kind === o.kind).map((r) => `${r.group}/${r.version}`);
  throw new UserError("api-missing", `PROJECT has no API ${o.group}/${o.version}, Kind=${o.kind}${others.length ? ` (it has ${o.kind} as ${others.join(", ")})` : ""}`, {
    hint: "create it first with tsop create api; for a kind owned elsewhere use tsop create api --external --from-crd FILE; built-in kinds: --group core|apps|batch|networking --version v1",
  });
}

/** The hub check of --conversion: the kind has several versions, the storage one is this --version, spokes are versions of it. */
async function conversionSpokes(fs: ProjectFs, root: string, project: ProjectConfig, r: ProjectResource, o: CreateWebhookOptions): Promise<ProjectResource[]> {
  const versions = project.resources.filter((x) => x.group === r.group && x.kind === r.kind && x.crd !== false);
  if (r.crd === false) throw new UserError("conversion-external", `--conversion: ${r.kind} is not a kind this project owns, so its CRD's conversion is not this project's`, { hint: "drop --conversion" });
  if (versions.length < 2) throw new UserError("conversion-one-version", `--conversion: ${r.kind} has only one version (${r.version}); conversion needs two or more`, { hint: `add a version first: tsop create api --group ${r.group} --version <v2> --kind ${r.kind} --controller=false` });
  const storage: string[] = [];
  for (const v of versions) {
    const text = (await fs.readFile(path.join(root, v.path))) ?? "";
    if (/@storageVersion\b/.test(text)) storage.push(v.version);
  }
  if (storage.length !== 1) {
    throw new UserError("conversion-storage", `--conversion: ${storage.length ? `several versions of ${r.kind} are marked @storageVersion (${storage.join(", ")})` : `no version of ${r.kind} is marked @storageVersion`}`, {
      hint: `put @storageVersion on the JSDoc of ${r.kind} in exactly one version's API file (the hub, e.g. ${r.path})`,
    });
  }
  if (storage[0] !== r.version) throw new UserError("conversion-hub", `--conversion: the hub must be the storage version ${storage[0]}, not ${r.version}`, { hint: `run it with --version ${storage[0]}` });
  const others = versions.filter((v) => v.version !== r.version);
  if (!o.spokes?.length) return others;
  return o.spokes.map((s) => {
    const v = others.find((x) => x.version === s);
    if (!v) throw new UserError("conversion-spoke", `--spoke ${s} is not another version of ${r.kind} (its versions: ${versions.map((x) => x.version).join(", ")})`, { hint: `pass --spoke with some of: ${others.map((x) => x.version).join(",")}` });
    return v;
  });
}

const camel = (kind: string): string => kind.charAt(0).toLowerCase() + kind.slice(1);
const jsPath = (p: string): string => p.replace(/\.ts$/, ".js");

/** Plans every file `create webhook` writes or edits; PROJECT comes last. */
export async function planCreateWebhook(fs: ProjectFs, root: string, project: ProjectConfig, o: CreateWebhookOptions): Promise<{ files: PlannedFile[]; project: ProjectConfig }> {
  if (!o.defaulting && !o.validation && !o.conversion) {
    throw new UserError("nothing-to-do", "no webhook asked for", { hint: "pass --defaulting, --programmatic-validation and/or --conversion" });
  }
  if (o.spokes?.length && !o.conversion) throw new UserError("spoke-without-conversion", "--spoke needs --conversion", { hint: "add --conversion, or drop --spoke" });
  const { resource, builtIn } = resolveResource(project, o);
  const had: ResourceWebhooks = resource.webhooks ?? {};
  const dup = [o.defaulting && had.defaulting && "--defaulting", o.validation && had.validation && "--programmatic-validation", o.conversion && had.conversion && "--conversion"].filter(Boolean);
  if (dup.length && !o.force) {
    throw new UserError("webhook-exists", `${resource.kind} ${resource.version} already has the webhook${dup.length > 1 ? "s" : ""} ${dup.join(", ")}`, { hint: "pass --force to scaffold its webhook file again (overwrites your edits)" });
  }
  const spokes = o.conversion ? await conversionSpokes(fs, root, project, resource, o) : [];
  const want: ResourceWebhooks = {
    defaulting: o.defaulting || had.defaulting, validation: o.validation || had.validation, conversion: o.conversion || had.conversion,
    ...(o.conversion ? { spoke: spokes.map((s) => s.version) } : had.spoke ? { spoke: had.spoke } : {}),
  };
  const group = builtIn ? findBuiltInKind(resource.group, resource.version, resource.kind)?.apiGroup ?? "" : fullGroup(resource);
  const fileName = resource.kind.toLowerCase();
  const dir = `src/webhooks/${resource.group}/${resource.version}`;
  const varName = camel(resource.kind);
  const admission = !!(want.defaulting || want.validation);
  const exportsOf = [admission ? `${varName}Webhook` : "", want.conversion ? `${varName}Conversion` : ""].filter(Boolean);
  const fromDir = (p: string): string => path.posix.relative(dir, jsPath(p)).replace(/^(?!\.)/, "./");
  const spokeCtx = (want.conversion ? project.resources.filter((x) => x.group === resource.group && x.kind === resource.kind && (want.spoke ?? []).includes(x.version)) : []).map((s) => ({
    version: s.version, alias: `${resource.kind}${s.version.charAt(0).toUpperCase()}${s.version.slice(1)}`,
    import: fromDir(s.path), testImport: `../${jsPath(s.path)}`, apiVersion: `${fullGroup(s)}/${s.version}`,
  }));
  const ctx = {
    header: (await fs.readFile(path.join(root, BOILERPLATE_FILE))) ?? "",
    projectName: project.projectName,
    kind: resource.kind, group: resource.group, version: resource.version, plural: resource.plural, fileName, varName,
    apiVersion: group ? `${group}/${resource.version}` : resource.version,
    groupArg: group === "" ? '""' : group,
    mutatePath: `/mutate-${group.replaceAll(".", "-")}-${resource.version}-${fileName}`,
    validatePath: `/validate-${group.replaceAll(".", "-")}-${resource.version}-${fileName}`,
    defaulting: !!want.defaulting, validation: !!want.validation, validateDelete: false, conversion: !!want.conversion, admission,
    apiImport: builtIn ? "tsop/runtime/kinds" : fromDir(resource.path),
    testApiImport: builtIn ? "tsop/runtime/kinds" : `../${jsPath(resource.path)}`,
    spokes: spokeCtx, core: builtIn && resource.kind === "Pod", namespaced: resource.namespaced,
    webhookExports: exportsOf.join(", "), registrations: exportsOf,
    crdDirs: project.resources.some((r) => r.crd !== false) ? `["config/crd/bases"]` : "[]",
  };
  const files: PlannedFile[] = [];
  // With --force the file is rendered again with every webhook the kind has (old and new).
  for (const f of await renderTree("create-webhook/hooks", ctx)) files.push({ ...f, ifExists: "error" });
  let main = await fs.readFile(path.join(root, "src/main.ts"));
  if (main === undefined) throw new UserError("missing-file", "the project file is missing", { location: { file: "src/main.ts" }, hint: "restore it, or re-create the project with tsop init" });
  for (const name of exportsOf) main = await addWebhookToMain(main, { name, moduleSpecifier: `./webhooks/${resource.group}/${resource.version}/${fileName}.webhook.js` });
  files.push({ path: "src/main.ts", content: main, ifExists: "overwrite" });
  for (const f of await renderTree("create-webhook/kustomize", ctx)) files.push({ ...f, ifExists: "skip" });
  const resources = builtIn && !project.resources.includes(resource) ? [...project.resources, { ...resource, webhooks: want }] : project.resources.map((r) => (r === resource ? { ...r, webhooks: want } : r));
  const conversionCrds = resources.filter((r) => r.webhooks?.conversion).map((r) => `${r.plural}.${fullGroup(r)}`);
  const defaultK = "config/default/kustomization.yaml";
  const defaultText = await fs.readFile(path.join(root, defaultK));
  if (defaultText === undefined) throw new UserError("missing-file", "the project file is missing", { location: { file: defaultK }, hint: "restore it (tsop init writes it)" });
  files.push({ path: defaultK, content: enableWebhooksInDefault(defaultText, [...new Set(conversionCrds)]), ifExists: "overwrite" });
  if (want.conversion) {
    files.push({ path: "config/crd/kustomizeconfig.yaml", content: await renderFile("create-webhook/conversion/config/crd/kustomizeconfig.yaml.hbs", ctx), ifExists: "skip" });
    const crdK = "config/crd/kustomization.yaml";
    files.push({ path: crdK, content: addKustomizeResources((await fs.readFile(path.join(root, crdK))) ?? "resources: []\n", ["kustomizeconfig.yaml"], crdK, "configurations"), ifExists: "overwrite" });
  }
  const next: ProjectConfig = { ...project, resources };
  files.push({ path: PROJECT_FILE, content: serializeProject(next), ifExists: "overwrite" });
  return { files, project: next };
}
