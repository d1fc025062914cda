/**
 * A Go command tsop builds once into its cache when it is not installed (kustomize, helm): built
 * from the Go module proxy under a lock, like the envtest binaries.
 * @module
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { UserError } from "../errors.js";

/** What to build and where. */
export interface CachedGoTool {
  module: string;
  version: string;
  pkg: string;
  name: string;
  /** The cache directory; the binary is `<dir>/<name>`. */
  dir: string;
  /** The error when there is no Go to build it with. */
  noGo: () => UserError;
}

/** The path of the cached binary, building it first when missing. */
export async function cachedGoTool(t: CachedGoTool, env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string> {
  const cached = join(t.dir, t.name);
  if (existsSync(cached)) return cached;
  const { buildGoTool, goVersion, buildFailedError } = await import("../envtest/go-build.js");
  if (!(await goVersion(env))) throw t.noGo();
  mkdirSync(t.dir, { recursive: true });
  const { withLock } = await import("../envtest/lock.js");
  await withLock(join(t.dir, ".build.lock"), progress, async () => {
    if (existsSync(cached)) return;
    try {
      await buildGoTool({ module: t.module, version: t.version, pkg: t.pkg, name: t.name }, t.dir, progress, env);
    } catch (e) {
      throw buildFailedError([t.name], e);
    }
  });
  return cached;
}
