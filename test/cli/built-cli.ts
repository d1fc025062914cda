// Builds tsop once (npx tsc -p tsconfig.build.json) for tests that run the real CLI as a child
// process; a lock directory keeps parallel test files from building at the same time.
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The tsop checkout. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** bin/tsop.js of the checkout. */
export const tsopBin = path.join(repoRoot, "bin/tsop.js");

let built = false;

/**
 * Runs the TypeScript build. Type errors in other areas do not stop the emit, so only a missing
 * dist/cli/main.js fails here.
 */
export async function buildTsop(): Promise<void> {
  if (built) return;
  const lock = path.join(repoRoot, "dist-build.lock");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) throw new Error(`${lock} held for 5 minutes`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await new Promise<void>((resolve) => {
      execFile("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: repoRoot }, () => resolve());
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  statSync(path.join(repoRoot, "dist/cli/main.js"));
  built = true;
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

