import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";

// Commands the scaffold end-to-end tests run inside a generated project.

/** Runs a command in `cwd`, asserts exit 0 (the message carries its output) and returns its stdout. */
export function sh(cwd: string, cmd: string, args: string[], timeoutMs = 600_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: "false" } });
  expect(r.status, `$ ${cmd} ${args.join(" ")} (exit ${r.status})\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** npm install, tsc --noEmit, npm run lint (the scaffold's ESLint config passes on every file it wrote), npm run build. */
export function installTypecheckLintBuild(dir: string): void {
  sh(dir, "npm", ["install", "--no-audit", "--no-fund"]);
  sh(dir, "npx", ["tsc", "--noEmit"]);
  sh(dir, "npm", ["run", "lint"]);
  sh(dir, "npm", ["run", "build"]);
  expect(existsSync(path.join(dir, "dist/main.js"))).toBe(true);
}
