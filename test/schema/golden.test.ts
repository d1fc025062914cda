/** Golden CRDs and error fixtures: every test/schema/fixtures/<case>.ts is one case. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FIXTURES, GOLDEN, runFixture } from "./run-fixture.js";

const cases = readdirSync(FIXTURES).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();
const update = process.env.UPDATE_GOLDEN === "1";

describe("golden CRDs", () => {
  for (const name of cases.filter((c) => !existsSync(join(FIXTURES, `${c}.expected.txt`)))) {
    test(name, async () => {
      const r = await runFixture(name);
      if (!r.ok) throw new Error(`expected a CRD, got errors:\n${r.message}`);
      const file = join(GOLDEN, `${name}.yaml`);
      if (update || !existsSync(file)) writeFileSync(file, r.crd);
      expect(r.crd).toBe(readFileSync(file, "utf8"));
    });
  }
});

describe("error fixtures", () => {
  for (const name of cases.filter((c) => existsSync(join(FIXTURES, `${c}.expected.txt`)))) {
    test(name, async () => {
      const r = await runFixture(name);
      expect(r.ok, "the fixture should fail").toBe(false);
      const file = join(FIXTURES, `${name}.expected.txt`);
      const got = r.ok ? "" : r.message;
      if (update) writeFileSync(file, got + "\n");
      expect(got).toBe(readFileSync(file, "utf8").trimEnd());
    });
  }
});
