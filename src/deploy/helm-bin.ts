/**
 * The `helm` binary tsop's tests (and users without one) use: `helm` on PATH, else the one built
 * with Go from the module proxy into tsop's cache (~/.cache/tsop/helm/<version>/helm), once, under
 * a lock, like the envtest binaries.
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { cachedGoTool } from "./go-tool.js";
import { onPath } from "./kustomize.js";

/** The Helm release tsop builds when none is on PATH. */
export const HELM_VERSION = "3.22.0";

/** Where the built helm lives. */
export function helmCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CACHE_HOME"] || join(env["HOME"] || homedir(), ".cache");
  return join(base, "tsop", "helm", HELM_VERSION);
}

/** The path of a helm binary, building it when needed (`progress` reports the build). */
export async function findHelm(env: NodeJS.ProcessEnv = process.env, progress: (line: string) => void = () => {}): Promise<string> {
  const own = onPath("helm", env);
  if (own) return own;
  return cachedGoTool({
    module: "helm.sh/helm/v3", version: HELM_VERSION, pkg: "helm.sh/helm/v3/cmd/helm", name: "helm", dir: helmCacheDir(env),
    noGo: () => new UserError("no-helm", "helm is not on PATH, and there is no Go to build it", { hint: "install helm v3 (https://helm.sh/docs/intro/install/) or Go 1.24+" }),
  }, env, progress);
}
