/** typesFromCrd: TypeScript from an existing CRD, checked by compiling it back to the same schema. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, expect, test } from "vitest";
import { typesFromCrd } from "../../src/schema/from-crd.js";
import { generateManifests } from "../../src/cli/manifests-engine.js";
import { GOLDEN } from "./run-fixture.js";
import { UserError } from "../../src/errors.js";

const temps: string[] = [];
afterAll(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }); });

test("generates interfaces with tsop/types names and a kind descriptor", async () => {
  const ts = await typesFromCrd(readFileSync(join(GOLDEN, "scalars.yaml"), "utf8"));
  expect(ts).toContain('import { defineKind, type Bytes, type DateTime, type Int, type Int32, type Int64, type IntOrString, type ObjectMeta, type Quantity } from "tsop/types";');
  expect(ts).toContain("export interface Scalar {");
  expect(ts).toMatch(/count\?: Int32/);
  expect(ts).toMatch(/memory\?: Quantity/);
  expect(ts).toMatch(/mode\?: "Fast" \| "Slow"/);
  expect(ts).toContain('export const Scalar = defineKind<Scalar>({ group: "fixtures.tsop.dev", version: "v1", kind: "Scalar", plural: "scalars", namespaced: true });');
});

test("the generated file round-trips through tsop's own schema engine", async () => {
  const golden = readFileSync(join(GOLDEN, "tags.yaml"), "utf8");
  const ts = await typesFromCrd(golden);
  const dir = mkdtempSync(join(tmpdir(), "tsop-fromcrd-"));
  temps.push(dir);
  mkdirSync(join(dir, "src/api"), { recursive: true });
  writeFileSync(join(dir, "src/api/tagged.ts"), ts);
  const r = await generateManifests({ projectDir: dir, cache: false, project: { version: "3", layout: "tsop.dev/v1", domain: "tsop.dev", repo: "x", projectName: "x", namespaced: false, resources: [{ group: "fixtures", domain: "tsop.dev", version: "v1", kind: "Tagged", plural: "taggeds", path: "src/api/tagged.ts", namespaced: true, controller: false, crd: true }] } });
  const back = parse(r.files[0]!.content) as { spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, { type?: string }> } } } } }[] } };
  const orig = parse(golden) as typeof back;
  const names = (c: typeof back) => Object.keys(c.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties).sort();
  expect(names(back)).toEqual(names(orig));
  const strip = (v: unknown): unknown => Array.isArray(v) ? v.map(strip) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "description").map(([k, x]) => [k, strip(x)])) : v;
  const spec = (c: typeof back) => strip(c.spec.versions[0]!.schema.openAPIV3Schema.properties.spec);
  expect(spec(back)).toEqual(spec(orig));
});

test("not a CRD is a UserError", async () => {
  await expect(typesFromCrd("kind: ConfigMap\n")).rejects.toBeInstanceOf(UserError);
});
