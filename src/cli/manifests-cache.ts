/**
 * Content-hash cache of generated CRDs, so an unchanged project never loads the compiler. Stored in
 * node_modules/.cache/tsop (or the OS temp dir); a broken or stale entry is simply ignored. The
 * caller of the (pure) manifests engine owns it and hands it in as a {@link ManifestsCacheStore}.
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { version } from "../index.js";
import type { CacheEntry, ManifestsCacheStore } from "../manifests/index.js";

/** One version's schema as stored, valid while its key and its files' hashes match. */
export interface StoredVersion { key: string; hashes: Record<string, string>; value: unknown }

interface Stored extends CacheEntry { key: string; hashes: Record<string, string>; versions?: Record<string, StoredVersion> }

let engineStamp: string | undefined;

/** Identifies this build of the schema engine: tsop's version plus the size and mtime of every module of it. */
function engine(): string {
  if (engineStamp) return engineStamp;
  const here = dirname(fileURLToPath(import.meta.url));
  const parts = [version];
  for (const dir of [join(here, "..", "manifests"), join(here, "..", "schema")]) {
    let names: string[] = [];
    try { names = readdirSync(dir).sort(); } catch { /* absent in this layout */ }
    for (const n of names) {
      if (!/\.(js|ts)$/.test(n)) continue;
      try { const st = statSync(join(dir, n)); parts.push(`${n}:${st.size}:${st.mtimeMs}`); } catch { /* raced with a rebuild */ }
    }
  }
  engineStamp = parts.join("|");
  return engineStamp;
}

/** The key for a run's non-file inputs. */
export function cacheKeyFor(input: unknown): string {
  return createHash("sha256").update(engine()).update(JSON.stringify(input)).digest("hex");
}

/** Where the manifests cache of a project lives. */
export function cacheFile(projectDir: string): string {
  const nm = join(projectDir, "node_modules");
  const base = existsSync(nm) ? join(nm, ".cache", "tsop") : join(tmpdir(), "tsop-cache", createHash("sha256").update(projectDir).digest("hex").slice(0, 16));
  return join(base, "manifests.json");
}

function hashFile(p: string): string | undefined {
  try { return createHash("sha256").update(readFileSync(p)).digest("hex"); } catch { return undefined; }
}

/** A project's cache file, read once per run. */
export class ManifestCache implements ManifestsCacheStore {
  private stored: Stored | undefined;
  private readonly hashCache = new Map<string, string | undefined>();
  constructor(private readonly projectDir: string) {
    try { this.stored = JSON.parse(readFileSync(cacheFile(projectDir), "utf8")) as Stored; } catch { this.stored = undefined; }
  }

  /** The key for a run's non-file inputs (see {@link cacheKeyFor}). */
  key(input: unknown): string {
    return cacheKeyFor(input);
  }

  private hash(f: string): string | undefined {
    if (!this.hashCache.has(f)) this.hashCache.set(f, hashFile(join(this.projectDir, f)));
    return this.hashCache.get(f);
  }

  private fresh(hashes: Record<string, string>): boolean {
    return Object.entries(hashes).every(([f, h]) => this.hash(f) === h);
  }

  /** The whole previous result when the key and every recorded file's content still match. */
  whole(key: string): CacheEntry | undefined {
    const s = this.stored;
    if (!s || s.key !== key || !this.fresh(s.hashes)) return undefined;
    return { files: s.files, crdFiles: s.crdFiles, warnings: s.warnings };
  }

  /** One version's stored value when its key and files still match. */
  version(id: string, key: string): unknown {
    const v = this.stored?.versions?.[id];
    return v && v.key === key && this.fresh(v.hashes) ? v.value : undefined;
  }

  /** Records a result and its versions; failures are ignored (the cache is only a speed-up). */
  write(key: string, e: CacheEntry, versions: Record<string, { key: string; deps: string[]; value: unknown }>): void {
    const hashesOf = (files: string[]): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const f of files) { const h = this.hash(f); if (h) out[f] = h; }
      return out;
    };
    const stored: Stored = { key, hashes: hashesOf(e.files), ...e, versions: {} };
    for (const [id, v] of Object.entries(versions)) stored.versions![id] = { key: v.key, hashes: hashesOf(v.deps), value: v.value };
    const file = cacheFile(this.projectDir);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(stored));
      renameSync(tmp, file);
    } catch { /* read-only or full disk: run uncached */ }
  }
}
