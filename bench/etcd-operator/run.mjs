// Bundles bench/etcd-operator/scale.ts with esbuild (tsop/* aliased to the sources: tsop/runtime/kinds is src/runtime/kinds/index.ts) and runs it.
// Usage: node bench/etcd-operator/run.mjs [--runs 3] [--size 5] [--nodes 3]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), "tsop-bench-")), "scale.mjs");
execFileSync(join(root, "node_modules/.bin/esbuild"), ["bench/etcd-operator/scale.ts", "--bundle", "--platform=node", "--format=esm", "--target=node20", `--outfile=${out}`,
  "--alias:tsop=./src",
  "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"], { cwd: root, stdio: "inherit" });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
