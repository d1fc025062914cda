/**
 * Where this tsop comes from, so a generated project depends on the same copy: a checkout gives
 * `file:<checkout>` (npm install works without a published package), a registry install `^<version>`.
 * @module
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

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

/**
 * The dependency spec for `tsop` in a generated package.json: `file:<root>` when tsop runs from a
 * checkout (its root is not inside a node_modules directory), else `^<version>`.
 * `TSOP_DEPENDENCY` overrides both.
 */
export function tsopDependencySpec(): string {
  const override = process.env["TSOP_DEPENDENCY"];
  if (override) return override;
  return specForRoot(tsopRoot(), tsopVersion());
}

/** `^<version>` when `root` is inside a node_modules directory (a registry install), else `file:<root>`. */
export function specForRoot(root: string, version: string): string {
  return root.split(path.sep).includes("node_modules") ? `^${version}` : `file:${root}`;
}
