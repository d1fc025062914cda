// Bundles bench/runtime/restart.ts and the operator (bench/runtime/operator.ts, tsop/* aliased to the
// working tree's sources) with esbuild, builds the controller-runtime peer when asked for, and runs.
// Usage: node bench/runtime/restart.mjs [--n 10000] [--reps 2] [--operators tsop,controller-runtime]
//   [--workload example|tutorial] [--watch 40] [--queue DIR] > restarts.jsonl
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tsop-bench-restart-"));
const esbuild = (entry, out) =>
  execFileSync(join(root, "node_modules/.bin/esbuild"), [entry, "--bundle", "--platform=node", "--format=esm", "--target=node20", `--outfile=${out}`, "--log-level=warning",
    "--alias:tsop=./src",
    "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"], { cwd: root, stdio: "inherit" });
try {
  esbuild("bench/runtime/restart.ts", join(dir, "restart.mjs"));
  esbuild("bench/runtime/operator.ts", join(dir, "operator.mjs"));
  const extra = [];
  if (process.argv.includes("controller-runtime") || process.argv.some((a) => a.includes("controller-runtime"))) {
    const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tsop", "bench");
    mkdirSync(cache, { recursive: true });
    const peer = join(cache, "memcached-peer");
    execFileSync("go", ["build", "-o", peer, "."], { cwd: join(root, "bench/runtime/peer-go"), stdio: "inherit", env: { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" } });
    extra.push("--go-binary", peer);
  }
  const r = spawnSync(process.execPath, [join(dir, "restart.mjs"), "--tsop-bundle", join(dir, "operator.mjs"), ...extra, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
