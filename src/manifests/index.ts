/** `tsop manifests`' engine: CRDs from the API types, role.yaml from `@rbac` tags and config/webhook/manifests.yaml from `@webhook` tags, computed, never written. @module */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ProjectConfig, ProjectResource } from "../project/model.js";
import { fullGroup } from "../project/model.js";
import { Diagnostics } from "../schema/diagnostics.js";
import { limitDescriptions } from "../schema/descriptions.js";
import { crdFor } from "./crd.js";
import { readRbacTags, roleDocuments } from "./rbac.js";
import { readWebhookTags, webhookDocuments, WEBHOOK_CONVERSION } from "./webhooks.js";
import { toYamlDocument } from "./yaml.js";
import { cacheKeyFor, ManifestCache } from "./cache.js";
import type { VersionSchema } from "../schema/index.js";

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
  const controllerFiles = listTs(join(projectDir, "src", "controllers")).map((f) => relative(projectDir, f));
  const owned = project.resources.filter((r) => r.crd !== false);
  const cache = opts.cache !== false ? new ManifestCache(projectDir) : undefined;
  const max = opts.maxDescriptionLength ?? null;
  const wholeKey = cacheKeyFor({ project: owned, namespaced: project.namespaced, max });
  const hit = cache?.whole(wholeKey);
  const { crdFiles, warnings } = hit ?? (await buildCrds(projectDir, owned, opts.maxDescriptionLength, cache, wholeKey));

  const rbacDiags = new Diagnostics();
  const tags = controllerFiles.flatMap((f) => readRbacTags(f, readFileSync(join(projectDir, f), "utf8"), rbacDiags));
  const webhookFiles = listTs(join(projectDir, "src", "webhooks")).filter((f) => !f.endsWith(".test.ts")).map((f) => relative(projectDir, f));
  const hookTags = webhookFiles.flatMap((f) => readWebhookTags(f, readFileSync(join(projectDir, f), "utf8"), rbacDiags));
  const hookDocs = webhookDocuments(hookTags, rbacDiags);
  rbacDiags.throwIfErrors();
  const roles = roleDocuments(tags, { roleName: "manager-role", namespaced: project.namespaced });
  const role: ManifestFile = { path: "config/rbac/role.yaml", content: roles.map(toYamlDocument).join("") };
  const hooks: ManifestFile[] = hookDocs.length ? [{ path: "config/webhook/manifests.yaml", content: hookDocs.map(toYamlDocument).join("") }] : [];
  return { files: [...crdFiles, role, ...hooks], warnings };
}

/** A cached version, revived (its tag positions are not kept). */
function revive(v: unknown): VersionSchema {
  const x = v as VersionSchema;
  return { ...x, tags: { ...x.tags, positions: new Map() } };
}

/** Converts what changed (reusing cached versions), assembles every CRD and records the cache. */
async function buildCrds(projectDir: string, owned: ProjectResource[], maxDescriptionLength: number | undefined, cache: ManifestCache | undefined, wholeKey: string): Promise<{ crdFiles: ManifestFile[]; warnings: string[] }> {
  const diags = new Diagnostics();
  const idOf = (r: ProjectResource): string => `${r.path}#${r.kind}#${r.version}`;
  const keyOf = (r: ProjectResource): string => cacheKeyFor({ r, max: maxDescriptionLength ?? null });
  const reused = new Map<string, VersionSchema>();
  for (const r of owned) {
    const v = cache?.version(idOf(r), keyOf(r));
    if (v) reused.set(idOf(r), revive(v));
  }
  const toBuild = owned.filter((r) => !reused.has(idOf(r)));
  let built: VersionSchema[] = [];
  if (toBuild.length) {
    const { buildSchemas } = await import("../schema/index.js");
    built = (await buildSchemas(projectDir, toBuild, diags)).versions;
    if (maxDescriptionLength !== undefined) for (const v of built) limitDescriptions(v.schema, maxDescriptionLength);
  }
  const byId = new Map([...reused, ...built.map((v) => [idOf(v.resource), v] as const)]);
  const all = owned.map((r) => byId.get(idOf(r))).filter((v): v is VersionSchema => v !== undefined);
  const byKind = new Map<string, VersionSchema[]>();
  for (const v of all) {
    const k = `${fullGroup(v.resource)}/${v.resource.kind}`;
    (byKind.get(k) ?? byKind.set(k, []).get(k)!).push(v);
  }
  const crdFiles: ManifestFile[] = [];
  const sizeWarnings: string[] = [];
  for (const versions of byKind.values()) {
    const crd = crdFor(versions, diags);
    if (versions.some((v) => v.resource.webhooks?.conversion)) (crd.spec as Record<string, unknown>).conversion = structuredClone(WEBHOOK_CONVERSION);
    const r = versions[0]!.resource;
    const content = toYamlDocument(crd);
    if (content.length > SIZE_WARNING) sizeWarnings.push(`the CRD for ${r.kind} is ${(content.length / 1048576).toFixed(2)} MiB, close to etcd's 1.5 MiB object limit (use --max-description-length)`);
    const names = (crd.spec as { names: { plural: string } }).names;
    crdFiles.push({ path: `config/crd/bases/${fullGroup(r)}_${names.plural}.yaml`, content });
  }
  crdFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  diags.throwIfErrors();
  const warnings = [...new Set([...all.flatMap((v) => v.warnings), ...sizeWarnings])];
  if (cache) {
    const files = [...new Set(all.flatMap((v) => v.deps))].sort();
    const versions = Object.fromEntries(all.map((v) => [idOf(v.resource), { key: keyOf(v.resource), deps: v.deps, value: v }]));
    cache.write(wholeKey, { files, crdFiles, warnings }, versions);
  }
  return { crdFiles, warnings };
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
