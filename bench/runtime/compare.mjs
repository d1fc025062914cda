// tsop vs controller-runtime on the memcached operator, in one invocation (see compare.ts).
// Builds esbuild bundles of compare.ts and operator.ts into a temp dir (tsop/* aliased to the
// sources, as run.mjs does) and `go build`s bench/runtime/peer-go (controller-runtime v0.25.3;
// GOTOOLCHAIN=local CGO_ENABLED=0) into the per-user cache ~/.cache/tsop/bench/ (XDG_CACHE_HOME).
// Usage: node bench/runtime/compare.mjs [--n 1000] [--runs 3] [--workloads tutorial,example]
//   [--limits default,off] [--workers 4] [--restart yes|no] [--log-level info|error]
//   [--only tsop|controller-runtime] [--node-args --flag,--flag] [--seed]
//   [--memory-limit MiB] > results.jsonl
//   (--seed: the bench creates the N objects converged itself and measures only the restart;
//   --memory-limit: both operators run in a memory cgroup with that limit, as in a pod, see cgroup.ts)
// One JSON line per measurement and per summary on stdout; markdown tables on stderr.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGoPeer, bundleBench, root } from "./esbuild.mjs";

const dir = mkdtempSync(join(tmpdir(), "tsop-bench-cmp-"));
try {
  bundleBench("bench/runtime/compare.ts", join(dir, "compare.mjs"));
  bundleBench("bench/runtime/operator.ts", join(dir, "operator.mjs"));
  const t = Date.now();
  const peer = buildGoPeer();
  console.error(`# go build: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const r = spawnSync(process.execPath, [join(dir, "compare.mjs"), "--tsop-bundle", join(dir, "operator.mjs"), "--go-binary", peer, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
