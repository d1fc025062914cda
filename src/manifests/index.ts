/**
 * `tsop manifests`' engine: CRDs from the API types, role.yaml from `@rbac` tags and
 * config/webhook/manifests.yaml from `@webhook` tags, computed, never written. Pure apart from the
 * schema compiler reading the API types: the caller lists and reads the controller and webhook
 * sources and owns the cache (src/cli/manifests-engine.ts).
 * @module
 */
import type { ProjectConfig, ProjectResource } from "../project/model.js";
import { fullGroup } from "../project/model.js";
import { BUILT_IN_KINDS } from "../project/builtin-kinds.js";
import { Diagnostics } from "../schema/diagnostics.js";
import { limitDescriptions } from "../schema/descriptions.js";
import { crdFor } from "./crd.js";
import { readRbacTags, roleDocuments } from "./rbac.js";
import { readWebhookTags, webhookDocuments, WEBHOOK_CONVERSION } from "./webhooks.js";
import { toYamlDocument } from "./yaml.js";
import type { VersionSchema } from "../schema/index.js";

/** One file to write, relative to the project root. */
export interface ManifestFile { path: string; content: string }

/** One source file, relative to the project root, with its text. */
export interface SourceText { path: string; text: string }

/** What a cached run produced and which files it read. */
export interface CacheEntry {
  files: string[];
  crdFiles: ManifestFile[];
  warnings: string[];
}

/** The cache the caller owns: keyed by the run's inputs and the hashes of the files it read. */
export interface ManifestsCacheStore {
  /** The key for a run's non-file inputs. */
  key(input: unknown): string;
  /** The whole previous result when the key and every recorded file still match. */
  whole(key: string): CacheEntry | undefined;
  /** One version's stored value when its key and files still match. */
  version(id: string, key: string): unknown;
  /** Records a result and its versions. */
  write(key: string, e: CacheEntry, versions: Record<string, { key: string; deps: string[]; value: unknown }>): void;
}

/** Options of `generateManifests`. */
export interface GenerateManifestsOptions {
  /** Absolute path of the project root (where PROJECT is). */
  projectDir: string;
  project: ProjectConfig;
  /** Cut descriptions longer than this many bytes; 0 drops them. Default: no limit. */
  maxDescriptionLength?: number;
  /** The controller sources (every .ts under src/controllers), read by the caller; their `@rbac` tags make role.yaml. */
  controllers: readonly SourceText[];
  /** The webhook sources (every non-test .ts under src/webhooks), read by the caller; their `@webhook` tags make config/webhook/manifests.yaml. */
  webhooks?: readonly SourceText[];
  /** Reuse the previous result when no input changed. Default: no cache. */
  cache?: ManifestsCacheStore;
}

/** CRD objects above this size get a warning (etcd's request limit is about 1.5 MiB). */
const SIZE_WARNING = 1_000_000;

/**
 * Computes config/crd/bases/<group>_<plural>.yaml for every resource tsop owns and
 * config/rbac/role.yaml. Throws `UserErrors` listing every problem (file:line:col); writes nothing.
 */
export async function generateManifests(opts: GenerateManifestsOptions): Promise<{ files: ManifestFile[]; warnings: string[] }> {
  const { projectDir, project, cache } = opts;
  const owned = project.resources.filter((r) => r.crd !== false);
  const max = opts.maxDescriptionLength ?? null;
  const wholeKey = cache?.key({ project: owned, namespaced: project.namespaced, max }) ?? "";
  const hit = cache?.whole(wholeKey);
  const { crdFiles, warnings } = hit ?? (await buildCrds(projectDir, owned, opts.maxDescriptionLength, cache, wholeKey));

  const rbacDiags = new Diagnostics();
  const kinds = [...BUILT_IN_KINDS.map((k) => ({ group: k.apiGroup, kind: k.kind, plural: k.plural })), ...project.resources.map((r) => ({ group: fullGroup(r), kind: r.kind, plural: r.plural }))];
  const tags = opts.controllers.flatMap((f) => readRbacTags(f.path, f.text, rbacDiags, { namespaced: project.namespaced, kinds }));
  const hookTags = (opts.webhooks ?? []).flatMap((f) => readWebhookTags(f.path, f.text, rbacDiags));
  const hookDocs = webhookDocuments(hookTags, rbacDiags);
  rbacDiags.throwIfErrors();
  const roles = roleDocuments(tags, { roleName: "manager-role", namespaced: project.namespaced });
  const role: ManifestFile = { path: "config/rbac/role.yaml", content: roles.map(toYamlDocument).join("") };
  // config/webhook/kustomization.yaml (scaffolded by the first `create webhook`) lists manifests.yaml,
  // so a project whose only webhook is a conversion webhook still needs the file, with no documents.
  const hasWebhooks = project.resources.some((r) => r.webhooks !== undefined);
  const hooks: ManifestFile[] = hookDocs.length
    ? [{ path: "config/webhook/manifests.yaml", content: hookDocs.map(toYamlDocument).join("") }]
    : hasWebhooks
      ? [{ path: "config/webhook/manifests.yaml", content: "# No admission webhooks (no @webhook tags in src/webhooks); kept so config/webhook/kustomization.yaml renders.\n" }]
      : [];
  return { files: [...crdFiles, role, ...hooks], warnings };
}

/** A cached version, revived (its tag positions are not kept). */
function revive(v: unknown): VersionSchema {
  const x = v as VersionSchema;
  return { ...x, tags: { ...x.tags, positions: new Map() } };
}

/** Converts what changed (reusing cached versions), assembles every CRD and records the cache. */
async function buildCrds(projectDir: string, owned: ProjectResource[], maxDescriptionLength: number | undefined, cache: ManifestsCacheStore | undefined, wholeKey: string): Promise<{ crdFiles: ManifestFile[]; warnings: string[] }> {
  const diags = new Diagnostics();
  const idOf = (r: ProjectResource): string => `${r.path}#${r.kind}#${r.version}`;
  const keyOf = (r: ProjectResource): string => cache?.key({ r, max: maxDescriptionLength ?? null }) ?? "";
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
