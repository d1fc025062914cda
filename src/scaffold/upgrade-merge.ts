/**
 * The merge of `tsop alpha generate`: the user's project, a fresh scaffold of the same PROJECT by
 * this tsop, and (when it could be made) the scaffold the project's own tsop writes, its base.
 * The user's edits always win: a file is taken from the new scaffold only when the user never
 * changed it (it equals the base) or when it is new. Pure: trees in, tree out.
 * @module
 */
import { PROJECT_FILE } from "../project/project-file.js";

/** Files by path (relative, `/`-separated) with their bytes. */
export type Tree = Map<string, Buffer>;

/** What the merge decided. */
export interface UpgradeMerge {
  /** The upgraded project. */
  files: Tree;
  /** Files the new scaffold brings that the project did not have. */
  added: string[];
  /** Files the old scaffold wrote and the user deleted: not brought back. */
  deleted: string[];
  /** The user's sources and files, as they are (API types, controllers, webhooks, tests, files the scaffold does not write). */
  carried: string[];
  /** Files the user never changed, now as the new scaffold writes them. */
  upgraded: string[];
  /**
   * Files kept as the user has them although the new scaffold writes them differently: both sides
   * changed them (or, without a base, the user's copy differs from the new scaffold's).
   */
  kept: string[];
}

/** What `tsop manifests` writes: always the user's (the scaffold only has placeholders; run manifests again). */
const GENERATED = /^(config\/crd\/bases\/[^/]+\.yaml|config\/rbac\/role\.yaml|config\/webhook\/manifests\.yaml)$/;

/** Where the user's code lives: always theirs, whatever the new scaffold would write there. */
const SOURCES = /^(src\/api\/|src\/controllers\/|src\/webhooks\/|test\/)/;

/** The vendored tsop tarball: always the new scaffold's (the project moves to this tsop). */
const VENDORED = /^vendor\/tsop-[^/]+\.tgz$/;

/** Merges `old` (the user's project), `fresh` (this tsop's scaffold) and `base` (the old tsop's). */
export function mergeUpgrade(old: Tree, fresh: Tree, base: Tree | undefined): UpgradeMerge {
  const files: Tree = new Map();
  const added: string[] = [];
  const upgraded: string[] = [];
  const kept: string[] = [];
  const carried: string[] = [];
  const deleted: string[] = [];
  const paths = [...new Set([...old.keys(), ...fresh.keys()])].sort();
  for (const p of paths) {
    const o = old.get(p);
    const f = fresh.get(p);
    if (VENDORED.test(p)) {
      if (f) files.set(p, f);
      continue;
    }
    if (f === undefined || (o !== undefined && GENERATED.test(p))) { files.set(p, o!); carried.push(p); continue; } // the user's own file, or generated from it
    if (o === undefined && base?.has(p)) { deleted.push(p); continue; }
    if (o === undefined) { files.set(p, f); added.push(p); continue; }
    if (o.equals(f)) { files.set(p, o); continue; }
    if (p === PROJECT_FILE) { files.set(p, f); continue; } // replayed from the user's PROJECT itself
    if (p === "package.json") {
      const merged = mergePackageJson(o.toString("utf8"), f.toString("utf8"), base?.get(p)?.toString("utf8"));
      files.set(p, Buffer.from(merged.text));
      if (merged.kept.length > 0) kept.push(`package.json (${merged.kept.join(", ")})`);
      else upgraded.push(p);
      continue;
    }
    const b = base?.get(p);
    if (b !== undefined && o.equals(b)) { files.set(p, f); upgraded.push(p); continue; }
    files.set(p, o);
    if (SOURCES.test(p) || (b !== undefined && f.equals(b))) carried.push(p);
    else kept.push(p);
  }
  return { files, added, deleted, upgraded, kept, carried };
}

type Pkg = Record<string, unknown> & { dependencies?: Record<string, string>; scripts?: Record<string, string>; devDependencies?: Record<string, string> };

/**
 * package.json, key by key: the tsop dependency is the new one; scripts and dev tools the new
 * scaffold has are added when missing and updated where the user kept the old scaffold's value;
 * everything else is the user's.
 */
export function mergePackageJson(oldText: string, freshText: string, baseText: string | undefined): { text: string; kept: string[] } {
  const o = JSON.parse(oldText) as Pkg;
  const f = JSON.parse(freshText) as Pkg;
  const b = baseText === undefined ? undefined : (JSON.parse(baseText) as Pkg);
  const kept: string[] = [];
  const tsop = f.dependencies?.["tsop"];
  if (tsop !== undefined) o.dependencies = { ...o.dependencies, tsop };
  for (const section of ["scripts", "devDependencies"] as const) {
    const fresh = f[section] ?? {};
    const mine = { ...o[section] };
    for (const [k, v] of Object.entries(fresh)) {
      if (!(k in mine)) mine[k] = v;
      else if (mine[k] !== v) {
        if (b?.[section]?.[k] === mine[k]) mine[k] = v;
        else kept.push(`${section}.${k}`);
      }
    }
    o[section] = mine;
  }
  return { text: JSON.stringify(o, null, 2) + "\n", kept };
}
