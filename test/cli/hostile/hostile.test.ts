import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTsop, repoRoot, runTsop } from "../built-cli.js";
import { cases, type Base } from "./cases.js";

// The hostile-input suite: hundreds of wrong inputs through the built CLI's entry (dist/cli/main.js,
// what bin/tsop.js runs), batched into one node process by batch.mjs. Each must exit 1 with one
// line `error: [where: ]what (how to fix)`, no stack trace, and leave its directory unchanged.

interface Result {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
  changed: string[];
}

let tmp: string;
const results = new Map<number, Result>();

beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp(path.join(tmpdir(), "tsop-hostile-"));
  const bases: Record<Base, string | undefined> = { empty: undefined, project: path.join(tmp, "base-project") };
  const project = bases.project!;
  await mkdir(project);
  for (const args of [
    ["init", "--domain", "example.com", "--project-name", "op"],
    ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
    ["manifests"],
  ]) {
    const r = runTsop(project, args);
    expect(r.code, r.stderr).toBe(0);
  }
  const input = {
    dist: path.join(repoRoot, "dist"),
    cases: cases.map((c, id) => ({ id, dir: path.join(tmp, `c${id}`), base: bases[c.base], args: c.args, files: c.files, env: c.env, cwd: c.cwd, removeCwd: c.removeCwd })),
  };
  await writeFile(path.join(tmp, "cases.json"), JSON.stringify(input));
  const r = spawnSync(process.execPath, [path.join(repoRoot, "test/cli/hostile/batch.mjs"), path.join(tmp, "cases.json"), path.join(tmp, "results.json")], { encoding: "utf8", maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  for (const res of JSON.parse(await readFile(path.join(tmp, "results.json"), "utf8")) as Result[]) results.set(res.id, res);
}, 600_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("hostile input", () => {
  it("has at least 200 cases with unique names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c, id) => [c.name, id] as const))("%s", (_name, id) => {
    const c = cases[id]!;
    const r = results.get(id)!;
    expect(r, "no result").toBeDefined();
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines, r.stderr).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatch(/^error: /);
    expect(line.slice("error: ".length)).toMatch(c.error);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(r.changed, "files changed").toEqual([]);
  });
});
