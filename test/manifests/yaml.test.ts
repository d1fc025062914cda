/** The fast YAML emitter writes exactly what the `yaml` package writes for every manifest we make. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { describe, expect, test } from "vitest";
import { emitDocument } from "../../src/manifests/yaml.js";
import { CORE_TYPE_NAMES, coreSchema } from "../../src/schema/core-schemas.js";

const OPTIONS = { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false } as const;
const GOLDEN = fileURLToPath(new URL("../schema/golden/", import.meta.url));

describe("emitDocument", () => {
  test("golden CRDs: byte-identical to the yaml package", () => {
    const files = readdirSync(GOLDEN).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const obj = parse(readFileSync(join(GOLDEN, f), "utf8")) as unknown;
      expect(emitDocument(obj), f).toBe(stringify(obj, OPTIONS));
    }
  });
  test("every core type schema: byte-identical (or handed to the yaml package)", () => {
    let fast = 0;
    for (const n of CORE_TYPE_NAMES) {
      const doc = { schema: coreSchema(n) };
      const out = emitDocument(doc);
      if (out !== undefined) { fast++; expect(out, n).toBe(stringify(doc, OPTIONS)); }
    }
    expect(fast).toBeGreaterThan(40);
  });
  test("tricky scalars match or fall back", () => {
    const cases: unknown[] = [
      { a: "true", b: "1.0", c: "", d: "x: y", e: "say \"hi\"", f: "it's", g: "- x", h: "#c", i: "a #b", j: " lead", k: "trail ", l: "~", m: "0x1F", n: "1e3", o: "null",
        p: "multi\nline", q: "multi\n\nblank", r: "é", s: "---", t: ["a", "b: c", "", 1, true, null], v: 1.5, w: [{ x: 1 }, { y: [] }, {}], z: "both ' and \"" },
    ];
    for (const c of cases) {
      const out = emitDocument(c);
      if (out !== undefined) expect(out).toBe(stringify(c, OPTIONS));
      expect(parse(out ?? stringify(c, OPTIONS))).toEqual(JSON.parse(JSON.stringify(c)));
    }
  });
});
