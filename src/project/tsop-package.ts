/**
 * Where this tsop comes from, so a generated project depends on the same copy. From a registry
 * install the project depends on `^<version>`; from a checkout or a tarball install (tsop is not on a
 * registry then) `tsop init` packs this copy into the project as `vendor/tsop-<version>.tgz` and the
 * project depends on `file:vendor/tsop-<version>.tgz`, so `npm ci` (and a Docker build) needs
 * nothing outside the project.
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.js";
import { packTarball } from "./pack.js";

/** The root directory of the tsop package this code runs from. */
export function tsopRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "tsop") return dir;
    } catch {
      // no package.json here; keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("internal: cannot find tsop's package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** tsop's own version from its package.json. */
export function tsopVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(tsopRoot(), "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** Where a tsop copy came from: a checkout, a registry, or a local tarball (or unknown: a global install). */
export type TsopOrigin = "checkout" | "registry" | "tarball";

/**
 * How the package at `root` was installed, from the npm lockfile that records it: the project's
 * package-lock.json / node_modules/.package-lock.json, or npx's. `resolved` over http(s) means a
 * registry; a file path means a tarball. A root outside node_modules is a checkout. A global install
 * leaves no record: it counts as a tarball (vendoring works either way; a registry copy can be
 * pinned with TSOP_DEPENDENCY=^<version>).
 */
export function tsopOrigin(root: string): TsopOrigin {
  const parts = root.split(path.sep);
  const nm = parts.lastIndexOf("node_modules");
  if (nm < 0) return "checkout";
  const nmDir = parts.slice(0, nm + 1).join(path.sep);
  const key = `node_modules/${parts.slice(nm + 1).join("/")}`;
  for (const lock of [path.join(nmDir, ".package-lock.json"), path.join(path.dirname(nmDir), "package-lock.json"), path.join(path.dirname(nmDir), "npm-shrinkwrap.json")]) {
    const resolved = lockResolved(lock, key);
    if (resolved !== undefined) return /^https?:\/\//.test(resolved) ? "registry" : "tarball";
  }
  return "tarball";
}

function lockResolved(lockFile: string, key: string): string | undefined {
  try {
    const lock = JSON.parse(readFileSync(lockFile, "utf8")) as { packages?: Record<string, { resolved?: string }> };
    return lock.packages?.[key]?.resolved;
  } catch {
    return undefined;
  }
}

/** The project-relative path of the vendored tsop tarball. */
export function vendoredTarballPath(version: string): string {
  return `vendor/tsop-${version}.tgz`;
}

/** What `tsop init` puts in package.json, and the tarball to write when tsop is vendored. */
export interface TsopDependency {
  /** The `tsop` dependency spec: `^<version>`, `file:vendor/tsop-<version>.tgz`, or TSOP_DEPENDENCY. */
  spec: string;
  /** The packed tsop for `vendor/`, when the project depends on a vendored copy. */
  vendored?: { path: string; content: Buffer };
}

/**
 * The `tsop` dependency of a new project (see the module doc). `TSOP_DEPENDENCY` overrides it
 * (nothing is vendored then), e.g. `file:/path/to/checkout` to link a checkout while developing tsop.
 */
export function tsopDependency(): TsopDependency {
  const override = process.env["TSOP_DEPENDENCY"];
  if (override) return { spec: override };
  const root = tsopRoot();
  const version = tsopVersion();
  if (tsopOrigin(root) === "registry") return { spec: `^${version}` };
  assertBuilt(root);
  const rel = vendoredTarballPath(version);
  return { spec: `file:${rel}`, vendored: { path: rel, content: packTarball(root) } };
}

/** A checkout must have dist/ built before it can be packed: every `exports` target must exist. */
export function assertBuilt(root: string): void {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: unknown };
  const missing = exportTargets(pkg.exports).filter((t) => !existsSync(path.join(root, t)));
  if (missing.length > 0) {
    throw new UserError("tsop-not-built", `tsop at ${root} is not built (missing ${missing[0]}), so it cannot be packed into vendor/`, {
      hint: `run npm run build in ${root}, then run tsop init again`,
    });
  }
}

/** Every file path an `exports` map points at (all conditions, all subpaths). */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (exports === null || typeof exports !== "object") return [];
  return Object.values(exports as Record<string, unknown>).flatMap(exportTargets);
}
