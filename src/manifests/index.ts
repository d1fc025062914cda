/** `tsop manifests`' engine: CRDs from the API types and role.yaml from `@rbac` tags, computed, never written. @module */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ProjectConfig, ProjectResource } from "../project/model.js";
import { fullGroup } from "../project/model.js";
import { Diagnostics } from "../schema/diagnostics.js";
import { limitDescriptions } from "../schema/descriptions.js";
import { crdFor } from "./crd.js";
import { readRbacTags, roleDocuments } from "./rbac.js";
import { toYamlDocument } from "./yaml.js";
import { cacheKeyFor, readCache, writeCache, type CacheEntry } from "./cache.js";

/** One file to write, relative to the project root. */
export interface ManifestFile { path: string; content: string }

/** Options of `generateManifests`. */
export interface GenerateManifestsOptions {
  /** Absolute path of the project root (where PROJECT is). */
  projectDir: string;
  project: ProjectConfig;
  /** Cut descriptions longer than this many bytes; 0 drops them. Default: no limit. */
  maxDescriptionLength?: number;
  /** Reuse the previous result when no input changed. Default: true. */
  cache?: boolean;
}

/** CRD objects above this size get a warning (etcd's request limit is about 1.5 MiB). */
const SIZE_WARNING = 1_000_000;

/**
 * Computes config/crd/bases/<group>_<plural>.yaml for every resource tsop owns and
 * config/rbac/role.yaml. Throws `UserErrors` listing every problem (file:line:col); writes nothing.
 */
export async function generateManifests(opts: GenerateManifestsOptions): Promise<{ files: ManifestFile[]; warnings: string[] }> {
  const { projectDir, project } = opts;
  const diags = new Diagnostics();
  const controllerFiles = listTs(join(projectDir, "src", "controllers")).map((f) => relative(projectDir, f));
  const owned = project.resources.filter((r) => r.crd !== false);
  const useCache = opts.cache !== false;
  const keyInput = { project: owned, namespaced: project.namespaced, max: opts.maxDescriptionLength ?? null };
  let entry: CacheEntry | undefined;
  if (useCache) entry = readCache(projectDir, cacheKeyFor(keyInput));

  let crdFiles: ManifestFile[];
  let warnings: string[];
  if (entry) {
    crdFiles = entry.crdFiles;
    warnings = entry.warnings;
  } else {
    const { buildSchemas } = await import("../schema/index.js");
    const built = await buildSchemas(projectDir, owned, diags);
    const byKind = new Map<string, typeof built.versions>();
    for (const v of built.versions) {
      const k = `${fullGroup(v.resource)}/${v.resource.kind}`;
      (byKind.get(k) ?? byKind.set(k, []).get(k)!).push(v);
    }
    crdFiles = [];
    for (const versions of [...byKind.values()]) {
      if (opts.maxDescriptionLength !== undefined) for (const v of versions) limitDescriptions(v.schema, opts.maxDescriptionLength);
      const crd = crdFor(versions, diags);
      const r: ProjectResource = versions[0]!.resource;
      const content = toYamlDocument(crd);
      if (content.length > SIZE_WARNING) diags.warn(`the CRD for ${r.kind} is ${(content.length / 1048576).toFixed(2)} MiB, close to etcd's 1.5 MiB object limit (use --max-description-length)`);
      const names = (crd.spec as { names: { plural: string } }).names;
      crdFiles.push({ path: `config/crd/bases/${fullGroup(r)}_${names.plural}.yaml`, content });
    }
    crdFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
    diags.throwIfErrors();
    warnings = [...diags.warnings];
    if (useCache) writeCache(projectDir, cacheKeyFor(keyInput), { files: built.files, crdFiles, warnings });
  }

  const rbacDiags = new Diagnostics();
  const tags = controllerFiles.flatMap((f) => readRbacTags(f, readFileSync(join(projectDir, f), "utf8"), rbacDiags));
  rbacDiags.throwIfErrors();
  const roles = roleDocuments(tags, { roleName: "manager-role", namespaced: project.namespaced });
  const role: ManifestFile = { path: "config/rbac/role.yaml", content: roles.map(toYamlDocument).join("") };
  return { files: [...crdFiles, role], warnings };
}

/** Every .ts file under `dir`, sorted (none when it does not exist). */
function listTs(dir: string): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const out: string[] = [];
  for (const n of names.sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (n.endsWith(".ts") && !n.endsWith(".d.ts")) out.push(p);
  }
  return out;
}
