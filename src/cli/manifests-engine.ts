/**
 * The file side of `tsop manifests`: lists and reads the controller and webhook sources and owns
 * the cache, then hands both to the pure engine (src/manifests). Loaded lazily, with the engine.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { generateManifests as generate, type ManifestFile } from "../manifests/index.js";
import type { ProjectConfig } from "../project/model.js";
import { ManifestCache } from "./manifests-cache.js";

/** Options of {@link generateManifests}. */
export interface ProjectManifestsOptions {
  /** Absolute path of the project root (where PROJECT is). */
  projectDir: string;
  project: ProjectConfig;
  /** Cut descriptions longer than this many bytes; 0 drops them. Default: no limit. */
  maxDescriptionLength?: number;
  /** Reuse the previous result when no input changed. Default: true. */
  cache?: boolean;
}

/** CRDs and role.yaml of the project at `projectDir`, computed, never written. */
export async function generateManifests(opts: ProjectManifestsOptions): Promise<{ files: ManifestFile[]; warnings: string[] }> {
  const read = (f: string): { path: string; text: string } => ({ path: relative(opts.projectDir, f), text: readFileSync(f, "utf8") });
  return generate({
    projectDir: opts.projectDir,
    project: opts.project,
    controllers: listTs(join(opts.projectDir, "src", "controllers")).map(read),
    webhooks: listTs(join(opts.projectDir, "src", "webhooks")).filter((f) => !f.endsWith(".test.ts")).map(read),
    ...(opts.maxDescriptionLength === undefined ? {} : { maxDescriptionLength: opts.maxDescriptionLength }),
    ...(opts.cache === false ? {} : { cache: new ManifestCache(opts.projectDir) }),
  });
}

/** Every .ts file under `dir`, sorted (none when it does not exist). */
function listTs(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (n.endsWith(".ts") && !n.endsWith(".d.ts")) out.push(p);
  }
  return out;
}
