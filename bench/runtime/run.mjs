// Bundles bench/runtime/converge.ts with esbuild (tsop/* aliased to the sources: tsop/runtime/client is src/runtime/client/index.ts) and runs it.
// Usage: node bench/runtime/run.mjs [--n 1000] [--qps 20] [--burst 30]
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleBench, root } from "./esbuild.mjs";

const out = join(mkdtempSync(join(tmpdir(), "tsop-bench-")), "converge.mjs");
bundleBench("bench/runtime/converge.ts", out);
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
