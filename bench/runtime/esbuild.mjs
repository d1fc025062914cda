// The bench drivers' one esbuild call: bundles a bench entry into `out` (ESM for Node 20, tsop/*
// aliased to this checkout's sources, a `require` for CommonJS dependencies).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export function bundleBench(entry, out) {
  execFileSync(join(root, "node_modules/.bin/esbuild"), [entry, "--bundle", "--platform=node", "--format=esm", "--target=node20", `--outfile=${out}`, "--log-level=warning",
    "--alias:tsop=./src",
    "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"], { cwd: root, stdio: "inherit" });
}
