/**
 * The kwok Stage configs tsop runs with: read at build time from the downloaded sigs.k8s.io/kwok
 * module (its kustomize/stage/fast kustomization: nodes Ready at once, pods Running/Ready at once,
 * Jobs' pods Succeeded, deleted pods removed) and written as one multi-document YAML file.
 * @module
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

/** The file, next to the kwok binary or in tsop's cache, that holds the stages tsop passes to kwok. */
export const KWOK_STAGES_FILE = "kwok-stages.yaml";

/** The kustomization, inside the kwok module, whose resources are the "fast" stages. */
export const FAST_STAGES_KUSTOMIZATION = "kustomize/stage/fast";

/** The YAML files a kustomization directory lists, following nested kustomizations, in order. */
export function kustomizationFiles(dir: string, seen = new Set<string>()): string[] {
  const abs = resolve(dir);
  if (seen.has(abs)) return [];
  seen.add(abs);
  const file = ["kustomization.yaml", "kustomization.yml"].map((f) => join(abs, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`no kustomization.yaml in ${abs}`);
  const doc = parse(readFileSync(file, "utf8")) as { resources?: unknown } | null;
  const resources = Array.isArray(doc?.resources) ? doc.resources.filter((r): r is string => typeof r === "string") : [];
  return resources.flatMap((r) => {
    const p = join(abs, r);
    return statSync(p).isDirectory() ? kustomizationFiles(p, seen) : [p];
  });
}

/**
 * The stage documents of the kwok module at `moduleDir`, as one YAML stream with a header naming
 * their origin. Throws when a listed file is not a kwok Stage (a changed module layout).
 */
export function fastStagesYaml(moduleDir: string, version: string): string {
  const files = kustomizationFiles(join(moduleDir, FAST_STAGES_KUSTOMIZATION));
  if (files.length === 0) throw new Error(`no stages listed in ${join(moduleDir, FAST_STAGES_KUSTOMIZATION)}`);
  const docs = files.map((f) => {
    const text = readFileSync(f, "utf8");
    const kind = (parse(text) as { kind?: unknown } | null)?.kind;
    if (kind !== "Stage") throw new Error(`${f} is not a kwok Stage (kind: ${String(kind)})`);
    return text.trimEnd();
  });
  const header = [
    `# kwok Stage configs from sigs.k8s.io/kwok v${version}, ${FAST_STAGES_KUSTOMIZATION} (Apache-2.0).`,
    "# Written by tsop envtest at build time; passed to kwok with --config.",
  ].join("\n");
  return `${header}\n${docs.map((d) => `---\n${d}\n`).join("")}`;
}
