/**
 * Loads big CommonJS files (TypeScript's 9 MB compiler, ts-morph) with a persistent V8 code cache,
 * so a cold `tsop manifests` does not recompile them on every start (Node 20 has no built-in
 * compile cache). Any failure falls back to a plain `require`.
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";

/** V8 flags set by {@link tuneForShortRun}: part of the cache key, since V8 rejects a cache made under other flags. */
let runFlags = "";

/**
 * For a process that runs one short command and exits (`tsop manifests`): no optimising compiler.
 * Such a run executes a lot of cold code about once; TurboFan's background compiles cost more CPU
 * than they save there (docs/benchmarks.md, manifests). Never for a long-running process.
 */
export function tuneForShortRun(): void {
  const flags = "--no-opt";
  if (runFlags === flags) return;
  v8.setFlagsFromString(flags);
  runFlags = flags;
}

interface ModuleInternals {
  filename: string;
  paths: string[];
  loaded: boolean;
  exports: unknown;
  require(id: string): unknown;
}
interface ModuleStatics {
  wrap(src: string): string;
  _nodeModulePaths(dir: string): string[];
  _cache: Record<string, unknown>;
  new (id: string, parent: unknown): ModuleInternals;
}

/** Loads `file` into the CommonJS cache, compiling it with the code cache kept in `cacheDir`. */
function loadCached(file: string, cacheDir: string): void {
  const M = Module as unknown as ModuleStatics;
  if (M._cache[file]) return;
  const st = statSync(file);
  const key = createHash("sha256").update(`${file}:${st.size}:${st.mtimeMs}:${process.version}:${process.arch}:${runFlags}`).digest("hex").slice(0, 24);
  const cachePath = join(cacheDir, `${key}.v8`);
  let cachedData: Buffer | undefined;
  try { cachedData = readFileSync(cachePath); } catch { /* first run */ }
  const script = new vm.Script(M.wrap(readFileSync(file, "utf8")), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const fn = script.runInThisContext() as (this: unknown, ...args: unknown[]) => void;
  const m = new M(file, null);
  m.filename = file;
  m.paths = M._nodeModulePaths(dirname(file));
  M._cache[file] = m;
  try {
    fn.call(m.exports, m.exports, (id: string) => m.require(id), m, file, dirname(file));
  } catch (e) {
    delete M._cache[file];
    throw e;
  }
  m.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cachePath);
    } catch { /* the cache is only a speed-up */ }
  }
}

/**
 * Requires ts-morph after preloading TypeScript, @ts-morph/common and ts-morph itself (the copies
 * ts-morph would load) through the code cache in `cacheDir`.
 */
export function requireTsMorph<T>(cacheDir: string): T {
  const req = createRequire(import.meta.url);
  try {
    const main = req.resolve("ts-morph");
    const common = createRequire(main).resolve("@ts-morph/common");
    for (const f of [join(dirname(common), "typescript.js"), common, main]) loadCached(f, cacheDir);
  } catch {
    /* fall back to a normal load below */
  }
  return req("ts-morph") as T;
}
