// Bundles bench/runtime/restart.ts and the operator (bench/runtime/operator.ts, tsop/* aliased to the
// working tree's sources) with esbuild, builds the controller-runtime peer when asked for, and runs.
// Usage: node bench/runtime/restart.mjs [--n 10000] [--reps 2] [--operators tsop,controller-runtime]
//   [--workload example|tutorial] [--watch 40] [--queue DIR] > restarts.jsonl
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGoPeer, bundleBench, root } from "./esbuild.mjs";

const dir = mkdtempSync(join(tmpdir(), "tsop-bench-restart-"));
try {
  bundleBench("bench/runtime/restart.ts", join(dir, "restart.mjs"));
  bundleBench("bench/runtime/operator.ts", join(dir, "operator.mjs"));
  const extra = [];
  if (process.argv.includes("controller-runtime") || process.argv.some((a) => a.includes("controller-runtime"))) {
    extra.push("--go-binary", buildGoPeer());
  }
  const r = spawnSync(process.execPath, [join(dir, "restart.mjs"), "--tsop-bundle", join(dir, "operator.mjs"), ...extra, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
