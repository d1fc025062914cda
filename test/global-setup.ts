/**
 * Vitest global setup: makes sure the control-plane binaries exist once per test run (building them
 * with Go when missing, progress on stderr) and exports KUBEBUILDER_ASSETS for the test workers.
 * @module
 */
import { ensureBinaries } from "../src/envtest/binaries.js";

export default async function setup(): Promise<void> {
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
