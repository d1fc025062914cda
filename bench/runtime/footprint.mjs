// Bundles bench/runtime/footprint.ts and bench/runtime/operator.ts (tsop/* aliased to the sources)
// and runs the footprint driver with the operator bundle as the default one (see footprint.ts).
// Usage: node bench/runtime/footprint.mjs [--n 1000] [--runs 3] [--workload example|tutorial]
//   [--variant label=--flag,--flag]... [--bundle name=path --variant label@name=--flag]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleBench, root } from "./esbuild.mjs";

const dir = mkdtempSync(join(tmpdir(), "tsop-bench-fp-"));
try {
  bundleBench("bench/runtime/footprint.ts", join(dir, "footprint.mjs"));
  bundleBench("bench/runtime/operator.ts", join(dir, "operator.mjs"));
  const r = spawnSync(process.execPath, [join(dir, "footprint.mjs"), "--tsop-bundle", join(dir, "operator.mjs"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
