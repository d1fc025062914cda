import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTsop, runTsop } from "./built-cli.js";

// A write that fails half-way on a real file system: PROJECT (moved into place last) is made
// immutable (chattr +i; root ignores file modes), so `create api` has already moved the other
// files into place when it fails. The tree must be exactly as before, with one line, exit 1.

async function snapshot(dir: string, rel = "", out = new Map<string, string>()): Promise<Map<string, string>> {
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.set(`${r}/`, "");
      await snapshot(dir, r, out);
    } else out.set(r, createHash("sha1").update(await readFile(path.join(dir, r))).digest("hex"));
  }
  return out;
}

function chattr(flag: "+i" | "-i", file: string): void {
  const r = spawnSync("chattr", [flag, file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`this test needs chattr ${flag} (root on ext4/xfs/btrfs) to make a real write fail: ${r.stderr || r.error?.message}`);
}

let dir: string;
beforeAll(async () => {
  await buildTsop();
  dir = await mkdtemp(path.join(tmpdir(), "tsop-rollback-"));
  for (const args of [["init", "--domain", "example.com", "--project-name", "op"], ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"]]) {
    const r = runTsop(dir, args);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  spawnSync("chattr", ["-i", path.join(dir, "PROJECT")]);
  await rm(dir, { recursive: true, force: true });
});

describe("a write that fails half-way", () => {
  it("rolls back every file already moved into place and says so on one line", async () => {
    const before = await snapshot(dir);
    chattr("+i", path.join(dir, "PROJECT"));
    let r;
    try {
      r = runTsop(dir, ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Foo"]);
    } finally {
      chattr("-i", path.join(dir, "PROJECT"));
    }
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    // Files created and updated before PROJECT (src/main.ts, config/crd/kustomization.yaml, ...) went back.
    expect(lines[0]).toMatch(/^error: PROJECT: operation not permitted \((link|rename)\) \[EPERM\]; the \d+ files already in place were rolled back, nothing was changed \(check the file's owner, mode and attributes\)$/);
    expect(await snapshot(dir)).toEqual(before);
    // And the command works once the cause is gone.
    const ok = runTsop(dir, ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Foo"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await readFile(path.join(dir, "PROJECT"), "utf8")).toContain("kind: Foo");
  });
});
