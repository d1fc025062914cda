import { mkdtemp, readdir, readFile, rm, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases } from "./cases.js";

// Golden files of generated trees. Regenerate with: UPDATE_GOLDEN=1 npx vitest run test/scaffold/golden.test.ts
// Files are stored with a `.golden` suffix so vitest and tsc never pick them up.
const goldenRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "golden");
const update = process.env["UPDATE_GOLDEN"] === "1";

async function readTree(dir: string, rel = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await readTree(dir, r)) out.set(k, v);
    else out.set(r, await readFile(path.join(dir, r), "utf8"));
  }
  return out;
}

describe("golden scaffolds", () => {
  let tmp: string;
  const saved = process.env["TSOP_DEPENDENCY"];
  beforeAll(async () => {
    process.env["TSOP_DEPENDENCY"] = "file:/TSOP";
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-golden-"));
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env["TSOP_DEPENDENCY"];
    else process.env["TSOP_DEPENDENCY"] = saved;
    await rm(tmp, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.name} matches test/scaffold/golden/${c.name}`, async () => {
      const dir = path.join(tmp, c.name);
      await c.run(dir);
      const got = await readTree(dir);
      const goldenDir = path.join(goldenRoot, c.name);
      if (update) {
        await rm(goldenDir, { recursive: true, force: true });
        for (const [rel, content] of got) {
          await mkdir(path.dirname(path.join(goldenDir, rel)), { recursive: true });
          await writeFile(path.join(goldenDir, rel + ".golden"), content);
        }
      }
      const want = new Map([...(await readTree(goldenDir))].map(([k, v]) => [k.replace(/\.golden$/, ""), v]));
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [rel, content] of got) expect(content, rel).toBe(want.get(rel));
    });
  }
});
