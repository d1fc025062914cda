// tsop vs controller-runtime on the memcached operator, in one invocation (see compare.ts).
// Builds into a temp dir: esbuild bundles of compare.ts and operator.ts (tsop/* aliased to the
// sources, as run.mjs does) and `go build` of bench/runtime/peer-go (GOTOOLCHAIN=local CGO_ENABLED=0).
// Usage: node bench/runtime/compare.mjs [--n 1000] [--runs 3] [--qps 20] [--burst 30] [--log-level info|error]
//   [--peer-limiter shared|per-client] [--only tsop|controller-runtime]
//   (--qps 0: no client-side rate limit for either operator)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tsop-bench-cmp-"));
const esbuild = (entry, out) =>
  execFileSync(join(root, "node_modules/.bin/esbuild"), [entry, "--bundle", "--platform=node", "--format=esm", "--target=node20", `--outfile=${out}`, "--log-level=warning",
    "--alias:tsop/runtime=./src/runtime/index.ts", "--alias:tsop/types=./src/types/index.ts",
    "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"], { cwd: root, stdio: "inherit" });
try {
  esbuild("bench/runtime/compare.ts", join(dir, "compare.mjs"));
  esbuild("bench/runtime/operator.ts", join(dir, "operator.mjs"));
  const t = Date.now();
  execFileSync("go", ["build", "-o", join(dir, "memcached-peer"), "."], { cwd: join(root, "bench/runtime/peer-go"), stdio: "inherit", env: { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" } });
  console.error(`# go build: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const r = spawnSync(process.execPath, [join(dir, "compare.mjs"), "--tsop-bundle", join(dir, "operator.mjs"), "--go-binary", join(dir, "memcached-peer"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
