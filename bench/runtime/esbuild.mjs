// The bench drivers' builds: bundleBench bundles a bench entry into `out` (ESM for Node 20, tsop/*
// aliased to this checkout's sources, a `require` for CommonJS dependencies); buildGoPeer builds
// the controller-runtime peer (bench/runtime/peer-go) into the per-user cache ~/.cache/tsop/bench/.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export function bundleBench(entry, out) {
  execFileSync(join(root, "node_modules/.bin/esbuild"), [entry, "--bundle", "--platform=node", "--format=esm", "--target=node20", `--outfile=${out}`, "--log-level=warning",
    "--alias:tsop=./src",
    "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"], { cwd: root, stdio: "inherit" });
}

/** `go build`s the peer (GOTOOLCHAIN=local, CGO_ENABLED=0) and returns the binary's path. */
export function buildGoPeer() {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tsop", "bench");
  mkdirSync(cache, { recursive: true });
  const peer = join(cache, "memcached-peer");
  execFileSync("go", ["build", "-o", peer, "."], { cwd: join(root, "bench/runtime/peer-go"), stdio: "inherit", env: { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" } });
  return peer;
}
