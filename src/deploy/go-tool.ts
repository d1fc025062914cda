/**
 * A Go command tsop builds once into its cache when it is not installed (kustomize, helm): built
 * from the Go module proxy under a lock, like the envtest binaries.
 * @module
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { GoToolSpec } from "../envtest/go-build.js";

/** What to build and where. */
export interface CachedGoTool extends GoToolSpec {
  /** The cache directory; the binary is `<dir>/<name>`. */
  dir: string;
  /** The error when there is no Go to build it with. */
  noGo: () => UserError;
  /** The hint when the build fails (default: the envtest one, about the module proxy and prebuilt binaries). */
  buildFailedHint?: string;
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
      await buildGoTool({ module: t.module, version: t.version, pkg: t.pkg, name: t.name, ...(t.main ? { main: t.main } : {}) }, t.dir, progress, env);
    } catch (e) {
      const err = buildFailedError([t.name], e);
      throw t.buildFailedHint ? new UserError(err.code, err.message, { hint: t.buildFailedHint, cause: e }) : err;
    }
  });
  return cached;
}
