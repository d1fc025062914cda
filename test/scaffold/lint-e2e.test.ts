import { spawnSync } from "node:child_process";
import { appendFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_K8S_VERSION } from "../../src/envtest/versions.js";
import { buildTsop, runTsop } from "../cli/built-cli.js";

// The scaffold's hygiene: its ESLint flat config (typescript-eslint, type-aware rules) passes on a
// fresh project with an API, a webhook and a built-in kind's controller, and fails on a bad line;
// the CI workflows run typecheck, lint and the tests with the control-plane cache.
// The project's own dependencies come from the registry (npm install), as a user's would.

function sh(cwd: string, cmd: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 600_000, env: { ...process.env, npm_config_update_notifier: "false" } });
  return { code: r.status, out: `$ ${cmd} ${args.join(" ")} (exit ${r.status})\n${r.stdout}\n${r.stderr}` };
}

describe("scaffolded lint and CI workflows", () => {
  let tmp: string;
  let dir: string;

  beforeAll(async () => {
    await buildTsop();
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-lint-"));
    dir = path.join(tmp, "memcached-operator");
    await mkdir(dir);
    for (const args of [
      ["init", "--domain", "example.com", "--repo", "github.com/example/memcached-operator"],
      ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
      ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--defaulting", "--programmatic-validation"],
      ["create", "api", "--group", "apps", "--version", "v1", "--kind", "Deployment", "--resource=false"],
      ["manifests"],
    ]) {
      const r = runTsop(dir, args);
      expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("writes test.yml and lint.yml that type-check, lint and test with the envtest cache keyed on the Kubernetes version", async () => {
    const test = parse(await readFile(path.join(dir, ".github/workflows/test.yml"), "utf8")) as { jobs: { test: { env: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, string> }[] } } };
    const job = test.jobs.test;
    expect(job.env["TSOP_ENVTEST_K8S_VERSION"]).toBe(DEFAULT_K8S_VERSION);
    const cache = job.steps.find((s) => s.uses?.startsWith("actions/cache@"));
    expect(cache?.with).toEqual({ path: "~/.cache/tsop", key: "tsop-envtest-${{ runner.os }}-${{ env.TSOP_ENVTEST_K8S_VERSION }}" });
    const runs = job.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toEqual(["npm ci", "npm run typecheck", "npm run lint", "npx tsop manifests --check", "npm test"]);
    // the cache step comes before the tests that fill it
    expect(job.steps.indexOf(cache!)).toBeLessThan(job.steps.findIndex((s) => s.run === "npm test"));
    const lint = parse(await readFile(path.join(dir, ".github/workflows/lint.yml"), "utf8")) as { jobs: { lint: { steps: { run?: string }[] } } };
    expect(lint.jobs.lint.steps.flatMap((s) => (s.run ? [s.run] : []))).toEqual(["npm ci", "npm run typecheck", "npm run lint"]);
  });

  it("npm run lint passes on the fresh scaffold and fails on a bad line", async () => {
    const install = sh(dir, "npm", ["install", "--no-audit", "--no-fund"]);
    expect(install.code, install.out).toBe(0);
    // typescript-eslint loads the project's TypeScript through its JavaScript API
    const tsVersion = (JSON.parse(await readFile(path.join(dir, "node_modules/typescript/package.json"), "utf8")) as { version: string }).version;
    expect(tsVersion).toMatch(/^6\.0\./);
    const clean = sh(dir, "npm", ["run", "lint"]);
    expect(clean.code, clean.out).toBe(0);
    const typecheck = sh(dir, "npm", ["run", "typecheck"]);
    expect(typecheck.code, typecheck.out).toBe(0);

    await appendFile(path.join(dir, "src/controllers/memcached.controller.ts"), "\nconst unusedHelper = 1;\n");
    const bad = sh(dir, "npm", ["run", "lint"]);
    expect(bad.code, bad.out).not.toBe(0);
    expect(bad.out).toMatch(/memcached\.controller\.ts[\s\S]*'unusedHelper' is assigned a value but never used[\s\S]*@typescript-eslint\/no-unused-vars/);
  }, 900_000); // npm install from the registry plus two type-aware lint runs: minutes on a loaded machine
});
