// Runs the built tsop CLI as a child process (dist/ is built once by the vitest global setup).
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The tsop checkout. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** bin/tsop.js of the checkout. */
export const tsopBin = path.join(repoRoot, "bin/tsop.js");

/**
 * Checks that dist/ is built. The vitest global setup (test/global-setup.ts) builds it once before
 * any test file runs, so no test rebuilds it while others read it.
 */
export async function buildTsop(): Promise<void> {
  statSync(path.join(repoRoot, "dist/cli/main.js"));
}

/**
 * Makes a scaffolded project in `dir` type-check without `npm install`: node_modules/tsop is this
 * checkout (or the tsop package at `tsop`), vitest and @types/node are the checkout's.
 */
export async function linkProjectDeps(dir: string, tsop = repoRoot): Promise<void> {
  await mkdir(path.join(dir, "node_modules/@types"), { recursive: true });
  await symlink(tsop, path.join(dir, "node_modules/tsop"));
  await symlink(path.join(repoRoot, "node_modules/vitest"), path.join(dir, "node_modules/vitest"));
  await symlink(path.join(repoRoot, "node_modules/@types/node"), path.join(dir, "node_modules/@types/node"));
}

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/tsop.js ...args` in `cwd`. */
export function runTsop(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [tsopBin, ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

