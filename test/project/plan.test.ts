import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { applyPlan } from "../../src/project/lifecycle.js";
import { MemoryFs } from "../../src/project/fs.js";
import { formatPlan, resolvePlan, type PlannedFile } from "../../src/project/plan.js";
import { writePlan } from "../../src/project/writer.js";

const root = "/p";

function fsWith(files: Record<string, string>): MemoryFs {
  const fs = new MemoryFs();
  for (const [k, v] of Object.entries(files)) fs.files.set(`${root}/${k}`, v);
  return fs;
}

describe("resolvePlan", () => {
  const plan: PlannedFile[] = [
    { path: "new.txt", content: "n", ifExists: "error" },
    { path: "same.txt", content: "s", ifExists: "error" },
    { path: "owned.txt", content: "o2", ifExists: "overwrite" },
    { path: "user.txt", content: "u2", ifExists: "skip" },
  ];

  it("classifies each file", async () => {
    const fs = fsWith({ "same.txt": "s", "owned.txt": "o1", "user.txt": "u1" });
    const r = await resolvePlan(fs, root, plan);
    expect(r.map((f) => [f.path, f.action])).toEqual([["new.txt", "create"], ["same.txt", "unchanged"], ["owned.txt", "update"], ["user.txt", "keep"]]);
    expect(formatPlan(r)).toBe("create    new.txt\nunchanged same.txt\nupdate    owned.txt\nkeep      user.txt\n");
  });

  it("refuses every edited file at once unless forced", async () => {
    const fs = fsWith({ "new.txt": "edited", "same.txt": "edited too" });
    const err = await resolvePlan(fs, root, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format()).toBe("2 files exist with other content; not overwriting them: new.txt, same.txt (move them away, or pass --force to overwrite)");
    const forced = await resolvePlan(fs, root, plan, { force: true });
    expect(forced.find((f) => f.path === "new.txt")?.action).toBe("update");
  });
});

describe("writePlan", () => {
  it("writes nothing when any write fails, and leaves no temporary files", async () => {
    const fs = fsWith({ "a.txt": "old a" });
    fs.failWrite = (f) => f.includes("c.txt");
    const plan: PlannedFile[] = [
      { path: "a.txt", content: "new a", ifExists: "overwrite" },
      { path: "b/b.txt", content: "b", ifExists: "error" },
      { path: "c.txt", content: "c", ifExists: "error" },
    ];
    const resolved = await resolvePlan(fs, root, plan);
    await expect(writePlan(fs, root, resolved)).rejects.toThrow(/injected write failure/);
    expect([...fs.files.entries()]).toEqual([["/p/a.txt", "old a"]]);
  });

  it("writes changed files only, in plan order", async () => {
    const fs = fsWith({ "same.txt": "s" });
    const order: string[] = [];
    const rename = fs.rename.bind(fs);
    fs.rename = async (from, to) => {
      order.push(to);
      await rename(from, to);
    };
    const resolved = await resolvePlan(fs, root, [
      { path: "z.txt", content: "z", ifExists: "error" },
      { path: "same.txt", content: "s", ifExists: "error" },
      { path: "PROJECT", content: "p", ifExists: "overwrite" },
    ]);
    const res = await writePlan(fs, root, resolved);
    expect(res.written).toEqual(["z.txt", "PROJECT"]);
    expect(order).toEqual(["/p/z.txt", "/p/PROJECT"]);
  });
});

describe("writePlan rolls back a failure half-way through moving files into place", () => {
  const plan: PlannedFile[] = [
    { path: "a.txt", content: "new a", ifExists: "overwrite" },
    { path: "b/new.txt", content: "b", ifExists: "error" },
    { path: "c.txt", content: "new c", ifExists: "overwrite" },
    { path: "PROJECT", content: "new p", ifExists: "overwrite" },
  ];
  const before = { "a.txt": "old a", "c.txt": "old c", PROJECT: "old p" };

  it.each(["a.txt", "b/new.txt", "c.txt", "PROJECT"])("restores every file when moving %s fails", async (failing) => {
    const fs = fsWith(before);
    fs.failRename = (to) => to === `${root}/${failing}`;
    const resolved = await resolvePlan(fs, root, plan);
    const err = await writePlan(fs, root, resolved).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const line = (err as UserError).format();
    expect(line).toMatch(new RegExp(`^/p/${failing.replace(".", "\\.")}: permission denied \\(rename\\) \\[EACCES\\]`));
    expect(line).toMatch(/nothing was changed \(check the file's owner and mode/);
    const moved = plan.findIndex((f) => f.path === failing);
    if (moved > 0) expect(line).toContain(`the ${moved} file${moved === 1 ? "" : "s"} already in place`);
    expect(Object.fromEntries(fs.files)).toEqual(Object.fromEntries(Object.entries(before).map(([k, v]) => [`${root}/${k}`, v])));
  });

  it("names the files it could not restore", async () => {
    const fs = fsWith(before);
    fs.failRename = (to) => to === `${root}/PROJECT` || to === `${root}/a.txt` && [...fs.files.keys()].some((k) => k.startsWith(`${root}/a.txt.`) && k.endsWith(".old") && fs.files.get(`${root}/a.txt`) === "new a");
    const resolved = await resolvePlan(fs, root, plan);
    const err = await writePlan(fs, root, resolved).catch((e: unknown) => e);
    expect((err as UserError).format()).toMatch(/could not restore a\.txt \(check them with git diff\)/);
  });
});

describe("applyPlan", () => {
  it("prints the plan and writes nothing on a dry run", async () => {
    const fs = fsWith({});
    let printed = "";
    await applyPlan(fs, root, [{ path: "x.txt", content: "x", ifExists: "error" }], { dryRun: true, out: (s) => (printed += s) });
    expect(printed).toBe("dry run, nothing written:\ncreate    x.txt\n");
    expect(fs.files.size).toBe(0);
  });
});

describe("writePlan on the real file system", () => {
  it("removes the directories it created when a write fails", async () => {
    const { mkdtemp, readdir, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { nodeFs } = await import("../../src/project/fs.js");
    const dir = await mkdtemp(`${tmpdir()}/tsop-writer-`);
    const failing = { ...nodeFs, writeFile: async (f: string, c: string) => (f.includes("boom") ? Promise.reject(new Error("disk full")) : nodeFs.writeFile(f, c)) };
    const resolved = await resolvePlan(nodeFs, dir, [
      { path: "a/b/new.txt", content: "x", ifExists: "error" },
      { path: "boom.txt", content: "y", ifExists: "error" },
    ]);
    await expect(writePlan(failing, dir, resolved)).rejects.toThrow(/disk full/);
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});
