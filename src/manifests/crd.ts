/** Assembles one CustomResourceDefinition object from the schemas of a kind's versions (pure). @module */
import { version as tsopVersion } from "../index.js";
import { fullGroup } from "../project/model.js";
import type { Diagnostics } from "../schema/diagnostics.js";
import type { VersionSchema } from "../schema/index.js";

/** A CRD as plain data, ready for YAML. */
export type CrdObject = Record<string, unknown>;

/** Builds the CRD for all versions of one group/kind. Version-level mistakes go to `diags`. */
export function crdFor(versions: VersionSchema[], diags: Diagnostics): CrdObject {
  const first = versions[0]!;
  const r = first.resource;
  const group = fullGroup(r);
  const pick = <K extends "plural" | "singular" | "scope">(k: K) => versions.map((v) => v.tags[k]).find((x) => x !== undefined);
  const plural = pick("plural") ?? r.plural;
  const singular = pick("singular") ?? r.kind.toLowerCase();
  const scope = pick("scope") ?? (r.namespaced ? "Namespaced" : "Cluster");
  for (const k of ["plural", "singular", "scope"] as const) {
    const vals = new Set(versions.map((v) => v.tags[k]).filter((x) => x !== undefined));
    if (vals.size > 1) diags.error("version-mismatch", `versions of ${r.kind} disagree on @${k}: ${[...vals].join(" vs ")}`, sorted0(versions).at, `use the same @${k} in every version's file`);
  }
  if (plural !== r.plural) diags.error("version-mismatch", `@plural ${plural} differs from PROJECT's plural ${r.plural} for ${r.kind}`, first.at, "keep PROJECT and @plural in sync (the runtime uses PROJECT's)");
  const tagged = versions.find((v) => v.tags.scope !== undefined);
  if (tagged && (tagged.tags.scope === "Namespaced") !== r.namespaced) {
    diags.error("version-mismatch", `@scope ${tagged.tags.scope} contradicts PROJECT, which records ${r.kind} as ${r.namespaced ? "namespaced" : "cluster-scoped"}`, tagged.at, "keep @scope, PROJECT's namespaced and defineKind's namespaced in sync");
  }
  const skipped = versions.filter((v) => v.tags.skip);
  if (skipped.length && skipped.length === versions.length) {
    diags.error("resource-tag", versions.length === 1 ? `@skipVersion on ${r.kind}'s only version leaves no CRD` : `every version of ${r.kind} has @skipVersion`, skipped[0]!.at, "remove @skipVersion from a version the CRD should list; controller-gen refuses to skip a kind's only version too");
  }
  const kept = skipped.length === versions.length ? versions : versions.filter((v) => !v.tags.skip);
  const sorted = [...kept].sort((a, b) => (a.resource.version < b.resource.version ? -1 : 1));
  const storage = sorted.filter((v) => v.tags.storageVersion);
  if (sorted.length > 1 && storage.length !== 1) {
    diags.error("storage-version", storage.length === 0
      ? `${r.kind} has ${sorted.length} versions but none is marked @storageVersion`
      : `${r.kind} has ${storage.length} versions marked @storageVersion (${storage.map((s) => s.resource.version).join(", ")})`,
    (storage[1] ?? sorted[sorted.length - 1]!).at, "put @storageVersion on exactly one version's resource interface");
  }
  if (sorted.every((v) => v.tags.unserved)) diags.error("no-served-version", `no version of ${r.kind} is served`, sorted[0]!.at, "remove @unservedVersion from at least one version");
  const annotations: Record<string, string> = { "tsop.dev/version": tsopVersion };
  for (const v of sorted) Object.assign(annotations, v.tags.annotations);
  const labels: Record<string, string> = {};
  for (const v of sorted) Object.assign(labels, v.tags.labels);
  const shortNames = uniq(sorted.flatMap((v) => v.tags.shortNames));
  const categories = uniq(sorted.flatMap((v) => v.tags.categories));
  const names: Record<string, unknown> = { kind: r.kind, listKind: `${r.kind}List`, plural, singular };
  if (shortNames.length) names.shortNames = shortNames;
  if (categories.length) names.categories = categories;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { annotations, ...(Object.keys(labels).length ? { labels: sortKeys(labels) } : {}), name: `${plural}.${group}` },
    spec: {
      group,
      names,
      scope,
      versions: sorted.map((v) => versionEntry(v, sorted.length === 1 || v.tags.storageVersion)),
    },
  };
}

function versionEntry(v: VersionSchema, storage: boolean): Record<string, unknown> {
  const t = v.tags;
  const out: Record<string, unknown> = { name: v.resource.version };
  if (t.printColumns.length) out.additionalPrinterColumns = t.printColumns;
  if (t.deprecated) out.deprecated = true;
  if (t.deprecationWarning) out.deprecationWarning = t.deprecationWarning;
  out.schema = { openAPIV3Schema: v.schema };
  if (t.selectableFields.length) out.selectableFields = t.selectableFields.map((jsonPath) => ({ jsonPath }));
  out.served = !t.unserved;
  out.storage = storage;
  const sub: Record<string, unknown> = {};
  if (t.scale) sub.scale = t.scale;
  if (t.status) sub.status = {};
  if (Object.keys(sub).length || t.printColumns.length) out.subresources = sub;
  return out;
}

function sorted0(vs: VersionSchema[]): VersionSchema {
  return [...vs].sort((a, b) => (a.resource.version < b.resource.version ? -1 : 1))[0]!;
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
