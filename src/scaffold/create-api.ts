/**
 * The plan of `tsop create api`: the API file, controller, test, sample and roles rendered from
 * templates/create-api, plus the edits of main.ts, the kustomizations and PROJECT.
 * @module
 */
import * as path from "node:path";
import { UserError } from "../errors.js";
import { builtInResource, type BuiltInKind } from "../project/builtin-kinds.js";
import { builtInSample } from "./builtin-samples.js";
import type { ProjectFs } from "../project/fs.js";
import { fullGroup, type ProjectConfig, type ProjectResource } from "../project/model.js";
import type { PlannedFile } from "../project/plan.js";
import { PROJECT_FILE, serializeProject } from "../project/project-file.js";
import { addKustomizeResources } from "./kustomize.js";
import { addReconcilerToMain } from "./main-ts.js";
import { BOILERPLATE_FILE } from "./init.js";
import { renderTree } from "./render.js";

/** Validated inputs of `tsop create api`. */
export interface CreateApiOptions {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Default: true. */
  namespaced: boolean;
  /** Scaffold the API types, sample, roles and CRD entry. Default: true. */
  resource: boolean;
  /** Scaffold the controller and its test, and register it in main.ts. Default: true. */
  controller: boolean;
  /** Re-scaffold an existing kind and overwrite its files. Default: false. */
  force: boolean;
  /**
   * A kind defined elsewhere (`--external --from-crd`): its types come from the CRD, tsop emits no
   * CRD, sample or roles for it, and the CRD is kept in test/crds for the controller's test.
   * Default: none.
   */
  external?: ExternalKind;
  /**
   * A built-in kind (`--group apps --kind Deployment --resource=false`): only a controller typed by
   * tsop/runtime/kinds, its RBAC tags and test; PROJECT records it without a CRD or source file.
   */
  builtIn?: BuiltInKind;
}

/** A kind whose CRD someone else owns. */
export interface ExternalKind {
  /** The API group's domain part (`cert-manager.io` for `acme.cert-manager.io`). */
  domain: string;
  /** The generated API file's content (typesFromCrd). */
  apiSource: string;
  /** The CRD YAML, copied to test/crds/. */
  crdText: string;
}

/** The file names of a resource, relative to the project root. */
export function resourcePaths(r: Pick<ProjectResource, "group" | "domain" | "version" | "kind" | "plural"> & { crd?: boolean }): {
  api: string; controller: string; test: string; sample: string; crd: string; roles: string[];
} {
  const f = r.kind.toLowerCase();
  return {
    api: `src/api/${fullGroupDir(r)}/${r.version}/${f}.ts`,
    controller: `src/controllers/${f}.controller.ts`,
    test: `test/${f}.controller.test.ts`,
    sample: `config/samples/${r.group}_${r.version}_${f}.yaml`,
    crd: `config/crd/bases/${fullGroup(r)}_${r.plural}.yaml`,
    roles: ["admin", "editor", "viewer"].map((role) => `config/rbac/${f}_${role}_role.yaml`),
  };
}

/** Own kinds live under their group label (`src/api/cache/...`), external ones under the full group. */
function fullGroupDir(r: Pick<ProjectResource, "group" | "domain"> & { crd?: boolean }): string {
  return r.crd === false ? fullGroup(r) : r.group;
}

function sameGvk(a: Pick<ProjectResource, "group" | "version" | "kind">, b: Pick<ProjectResource, "group" | "version" | "kind">): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

async function readOr(fs: ProjectFs, root: string, rel: string, dflt: string | undefined): Promise<string> {
  const text = await fs.readFile(path.join(root, rel));
  if (text !== undefined) return text;
  if (dflt !== undefined) return dflt;
  throw new UserError("missing-file", "the project file is missing", { location: { file: rel }, hint: "restore it, or re-create the project with tsop init" });
}

/**
 * Refuses names the apiserver would reject next to the group's other kinds (or that make
 * `tsop manifests` generate two CRDs with one name): the same plural, a kind equal to another's
 * list kind, kinds or plurals that differ only in case, a plural equal to another's singular.
 */
function checkNameCollisions(project: ProjectConfig, o: CreateApiOptions): void {
  const group = fullGroup({ group: o.group, domain: project.domain });
  const fix = "pick another --kind, or another --plural";
  for (const r of project.resources) {
    if (fullGroup(r) !== group || r.kind === o.kind) continue;
    const other = `kind ${r.kind} (${r.plural}.${group})`;
    let why: string | undefined;
    if (r.kind.toLowerCase() === o.kind.toLowerCase()) why = `kind ${o.kind} differs from ${other} only in case`;
    else if (r.plural === o.plural) why = `plural "${o.plural}" is already the plural of ${other}`;
    else if (r.plural.toLowerCase() === o.plural.toLowerCase()) why = `plural "${o.plural}" differs from the plural of ${other} only in case`;
    else if (`${r.kind}List` === o.kind) why = `kind ${o.kind} is the list kind of ${other}`;
    else if (`${o.kind}List` === r.kind) why = `the list kind ${o.kind}List would be ${other}`;
    else if (r.kind.toLowerCase() === o.plural || o.kind.toLowerCase() === r.plural) why = `the plural "${o.plural}" or singular "${o.kind.toLowerCase()}" is a name of ${other}`;
    if (why) throw new UserError("api-name-collision", `${why} in group ${group}`, { hint: fix });
  }
}

/** Refuses what cannot be scaffolded: nothing asked for, or an existing kind without --force. */
function checkRequest(project: ProjectConfig, o: CreateApiOptions): ProjectResource | undefined {
  checkNameCollisions(project, o);
  if (!o.resource && !o.controller) {
    throw new UserError("nothing-to-do", "both --resource=false and --controller=false: nothing to scaffold", { hint: "drop one of them" });
  }
  const existing = project.resources.find((r) => sameGvk(r, o));
  const gvk = `${o.builtIn ? o.builtIn.apiGroup || "core" : `${o.group}.${project.domain}`}/${o.version}, Kind=${o.kind}`;
  if (o.resource && existing && !o.force) {
    throw new UserError("api-exists", `the API ${gvk} already exists in PROJECT`, { hint: "pass --force to scaffold it again (overwrites its files)" });
  }
  const sibling = project.resources.find((r) => r.group === o.group && r.kind === o.kind && r.version !== o.version && r.controller);
  if (o.controller && sibling && !o.force) {
    throw new UserError("controller-exists", `${o.kind} already has a controller (for ${sibling.version})`, { hint: "pass --controller=false to add only the new version's types" });
  }
  if (!o.resource && !existing && !o.builtIn) {
    throw new UserError("api-missing", `--resource=false but PROJECT has no API ${gvk}`, { hint: "create the API first (tsop create api without --resource=false)" });
  }
  if (!o.resource && existing?.controller && !o.force) {
    throw new UserError("controller-exists", `the API ${gvk} already has a controller`, { hint: "pass --force to scaffold it again" });
  }
  return existing;
}

/** Plans every file `create api` writes or edits; PROJECT comes last. */
export async function planCreateApi(fs: ProjectFs, root: string, project: ProjectConfig, o: CreateApiOptions): Promise<{ files: PlannedFile[]; project: ProjectConfig }> {
  const existing = checkRequest(project, o);
  if (o.builtIn) return planBuiltInController(fs, root, project, o.builtIn, existing);
  const resource: ProjectResource = {
    group: o.group,
    domain: o.external?.domain ?? existing?.domain ?? project.domain,
    version: o.version,
    kind: o.kind,
    plural: o.resource ? o.plural : existing!.plural,
    path: "",
    namespaced: o.resource ? o.namespaced : existing!.namespaced,
    controller: o.controller || (existing?.controller ?? false),
    crd: o.resource ? !o.external : existing!.crd,
  };
  const paths = resourcePaths(resource);
  resource.path = o.resource ? paths.api : existing!.path;
  const apiNoExt = resource.path.replace(/\.ts$/, ".js");
  const ctx = {
    projectName: project.projectName,
    header: (await fs.readFile(path.join(root, BOILERPLATE_FILE))) ?? "",
    group: resource.group,
    version: resource.version,
    kind: resource.kind,
    plural: resource.plural,
    fileName: resource.kind.toLowerCase(),
    fullGroup: fullGroup(resource),
    apiVersion: `${fullGroup(resource)}/${resource.version}`,
    namespaced: resource.namespaced,
    controllerName: resource.kind.toLowerCase(),
    apiImport: "../" + apiNoExt.replace(/^src\//, ""),
    testApiImport: "../" + apiNoExt,
    external: !resource.crd,
    // An external kind's CRD is in test/crds; config/crd/bases exists only once the project has its own kinds.
    crdDirs: resource.crd ? `["config/crd/bases"]` : `["config/crd/bases", "test/crds"].filter((dir) => existsSync(dir))`,
  };

  const files: PlannedFile[] = [];
  if (o.external) {
    files.push({ path: paths.api, content: o.external.apiSource, ifExists: "error" });
    files.push({ path: `test/crds/${fullGroup(resource)}_${resource.plural}.yaml`, content: o.external.crdText, ifExists: "error" });
  } else if (o.resource) {
    for (const f of await renderTree("create-api/resource", ctx)) files.push({ ...f, ifExists: "error" });
    const crdK = "config/crd/kustomization.yaml";
    files.push({ path: crdK, content: addKustomizeResources(await readOr(fs, root, crdK, "resources: []\n"), [paths.crd.replace("config/crd/", "")], crdK), ifExists: "overwrite" });
    const samplesK = "config/samples/kustomization.yaml";
    files.push({ path: samplesK, content: addKustomizeResources(await readOr(fs, root, samplesK, "resources: []\n"), [path.posix.basename(paths.sample)], samplesK), ifExists: "overwrite" });
    const rbacK = "config/rbac/kustomization.yaml";
    files.push({ path: rbacK, content: addKustomizeResources(await readOr(fs, root, rbacK, undefined), paths.roles.map((p) => path.posix.basename(p)), rbacK), ifExists: "overwrite" });
  }
  if (o.controller) files.push(...(await controllerFiles(fs, root, "create-api/controller", ctx)));
  return withProject(files, project, resource, existing);
}

/** The controller and its test rendered from `tree`, and main.ts registering the reconciler. */
async function controllerFiles(fs: ProjectFs, root: string, tree: string, ctx: { kind: string; fileName: string }): Promise<PlannedFile[]> {
  const files: PlannedFile[] = (await renderTree(tree, ctx)).map((f) => ({ ...f, ifExists: "error" }));
  const main = await readOr(fs, root, "src/main.ts", undefined);
  const updated = await addReconcilerToMain(main, { className: `${ctx.kind}Reconciler`, moduleSpecifier: `./controllers/${ctx.fileName}.controller.js` });
  files.push({ path: "src/main.ts", content: updated, ifExists: "overwrite" });
  return files;
}

/** Appends PROJECT with `resource` added (or replacing `existing`). */
function withProject(files: PlannedFile[], project: ProjectConfig, resource: ProjectResource, existing: ProjectResource | undefined): { files: PlannedFile[]; project: ProjectConfig } {
  const resources = existing ? project.resources.map((r) => (r === existing ? resource : r)) : [...project.resources, resource];
  const next: ProjectConfig = { ...project, resources };
  files.push({ path: PROJECT_FILE, content: serializeProject(next), ifExists: "overwrite" });
  return { files, project: next };
}

/** A controller for a built-in kind: no types, CRD, sample or roles; PROJECT keeps any webhooks it had. */
async function planBuiltInController(fs: ProjectFs, root: string, project: ProjectConfig, b: BuiltInKind, existing: ProjectResource | undefined): Promise<{ files: PlannedFile[]; project: ProjectConfig }> {
  const resource: ProjectResource = { ...builtInResource(b, true), ...(existing?.webhooks ? { webhooks: existing.webhooks } : {}) };
  const fileName = b.kind.toLowerCase();
  const sample = builtInSample(b, "    ");
  const ctx = {
    header: (await fs.readFile(path.join(root, BOILERPLATE_FILE))) ?? "",
    kind: b.kind,
    fileName,
    controllerName: fileName,
    plural: b.plural,
    namespaced: b.namespaced,
    apiVersion: b.apiGroup ? `${b.apiGroup}/${b.version}` : b.version,
    rbacGroup: b.apiGroup || "core",
    sample: sample.literal,
    sampleKey: sample.key,
  };
  return withProject(await controllerFiles(fs, root, "create-api/builtin", ctx), project, resource, existing);
}
