// Bundles bench/runtime/startup.ts and bench/runtime/operator.ts (tsop/* aliased to the sources)
// and runs the startup driver with that operator bundle (see startup.ts for its flags).
// Usage: node bench/runtime/startup.mjs [--runs 7] [--node-args --flag,--flag] [--env K=V,K=V]
//   [--tsop-bundle a.mjs,b.mjs] (instead of this checkout's operator: A/B of bundles, alternated)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleBench, root } from "./esbuild.mjs";

const dir = mkdtempSync(join(tmpdir(), "tsop-bench-start-"));
try {
  bundleBench("bench/runtime/startup.ts", join(dir, "startup.mjs"));
  bundleBench("bench/runtime/operator.ts", join(dir, "operator.mjs"));
  const args = process.argv.slice(2);
  const r = spawnSync(process.execPath, [join(dir, "startup.mjs"), ...(args.includes("--tsop-bundle") ? [] : ["--tsop-bundle", join(dir, "operator.mjs")]), ...args], { cwd: root, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
