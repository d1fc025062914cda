/**
 * Vitest global setup: makes sure the control-plane binaries exist once per test run (building them
 * with Go when missing, progress on stderr) and exports KUBEBUILDER_ASSETS for the test workers.
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBinaries } from "../src/envtest/binaries.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default async function setup(): Promise<void> {
  // Build dist/ once, before any worker starts: tests run the built CLI and bundle operators from it,
  // so no test may rebuild it while others read it.
  // Type errors do not stop tsc's emit; `npm test` type-checks first, so here only a missing
  // output is fatal.
  try {
    execFileSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: repoRoot,
      stdio: "inherit",
    });
  } catch {
    if (!existsSync(path.join(repoRoot, "dist/cli/main.js"))) throw new Error("tsop test setup: building dist/ failed");
    process.stderr.write("tsop test setup: dist/ built with type errors (see above)\n");
  }
  const started = Date.now();
  let built = false;
  const bins = await ensureBinaries({
    onProgress: (line) => {
      built = true;
      process.stderr.write(`${line}\n`);
    },
  }).catch((e: unknown) => {
    const msg = e instanceof Error ? ("format" in e && typeof e.format === "function" ? String(e.format()) : e.message) : String(e);
    throw new Error(`tsop test setup: cannot provide kube-apiserver and etcd for the integration tests: ${msg}`, { cause: e });
  });
  process.env["KUBEBUILDER_ASSETS"] ??= bins.dir;
  if (built) process.stderr.write(`tsop test setup: binaries ready in ${bins.dir} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
