/**
 * Content-hash cache of generated CRDs, so an unchanged project never loads the compiler. Stored in
 * node_modules/.cache/tsop (or the OS temp dir); a broken or stale entry is simply ignored.
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { version } from "../index.js";

/** What a cached run produced and which files it read. */
export interface CacheEntry {
  files: string[];
  crdFiles: { path: string; content: string }[];
  warnings: string[];
}

interface Stored extends CacheEntry { key: string; hashes: Record<string, string> }

let engineStamp: string | undefined;

/** Identifies this build of the schema engine (version plus the modules' mtimes). */
function engine(): string {
  if (engineStamp) return engineStamp;
  const here = dirname(fileURLToPath(import.meta.url));
  const parts = [version];
  for (const f of ["../schema/convert.js", "../schema/convert.ts", "../schema/tags.js", "../schema/tags.ts", "crd.js", "crd.ts"]) {
    try { parts.push(String(statSync(join(here, f)).mtimeMs)); } catch { /* absent in this layout */ }
  }
  engineStamp = parts.join(":");
  return engineStamp;
}

/** The key for a run's non-file inputs. */
export function cacheKeyFor(input: unknown): string {
  return createHash("sha256").update(engine()).update(JSON.stringify(input)).digest("hex");
}

function cacheFile(projectDir: string): string {
  const nm = join(projectDir, "node_modules");
  const base = existsSync(nm) ? join(nm, ".cache", "tsop") : join(tmpdir(), "tsop-cache", createHash("sha256").update(projectDir).digest("hex").slice(0, 16));
  return join(base, "manifests.json");
}

function hashFile(p: string): string | undefined {
  try { return createHash("sha256").update(readFileSync(p)).digest("hex"); } catch { return undefined; }
}

/** The cached result when the key and every recorded file's content still match. */
export function readCache(projectDir: string, key: string): CacheEntry | undefined {
  let s: Stored;
  try { s = JSON.parse(readFileSync(cacheFile(projectDir), "utf8")) as Stored; } catch { return undefined; }
  if (s.key !== key) return undefined;
  for (const [f, h] of Object.entries(s.hashes)) if (hashFile(join(projectDir, f)) !== h) return undefined;
  return { files: s.files, crdFiles: s.crdFiles, warnings: s.warnings };
}

/** Records a result; failures are ignored (the cache is only a speed-up). */
export function writeCache(projectDir: string, key: string, e: CacheEntry): void {
  const hashes: Record<string, string> = {};
  for (const f of e.files) { const h = hashFile(join(projectDir, f)); if (h) hashes[f] = h; }
  const file = cacheFile(projectDir);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, hashes, ...e }));
    renameSync(tmp, file);
  } catch { /* read-only or full disk: run uncached */ }
}
