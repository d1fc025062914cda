// Bundles bench/runtime/converge.ts with esbuild (tsop/* aliased to the sources: tsop/runtime/client is src/runtime/client/index.ts) and runs it.
// Usage: node bench/runtime/run.mjs [--n 1000] [--qps 20] [--burst 30]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), "tsop-bench-")), "converge.mjs");
execFileSync(join(root, "node_modules/.bin/esbuild"), ["bench/runtime/converge.ts", "--bundle", "--platform=node", "--format=esm", "--target=node20", `--outfile=${out}`, "--alias:tsop=./src",
  "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"], { cwd: root, stdio: "inherit" });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
