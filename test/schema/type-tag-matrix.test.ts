/**
 * Type-level tags wherever the type is used (a field, list items, map values, a nested alias):
 * tsop's CRD for test/schema/fixtures/type-tag-matrix.ts against controller-gen's CRD for the same
 * types in Go (test/schema/controller-gen/typematrix, recorded by generate.sh), field by field, and
 * tsop's CRD accepted by the real kube-apiserver. Where tsop and controller-gen differ on purpose,
 * the difference is spelled out and everything else must still be equal.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { request } from "./kube.js";
import { runFixture } from "./run-fixture.js";

type Schema = Record<string, unknown>;

/** The schema without descriptions (doc comments differ between the Go and TypeScript twins). */
function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).filter(([k]) => k !== "description").sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, strip(v)]));
  return x;
}

function specProperties(crd: Schema): Record<string, Schema> {
  const v = (crd.spec as { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, Schema> } } } } }[] }).versions[0]!;
  return strip(v.schema.openAPIV3Schema.properties.spec.properties) as Record<string, Schema>;
}

/** Applies `f` to the node itself, a list's items or a map's values: where the type's schema sits. */
function atType(s: Schema, f: (n: Schema) => Schema): Schema {
  if (s.items) return { ...s, items: f(s.items as Schema) };
  if (s.additionalProperties && typeof s.additionalProperties === "object") return { ...s, additionalProperties: f(s.additionalProperties as Schema) };
  return f(s);
}

const without = (...keys: string[]) => (n: Schema): Schema => Object.fromEntries(Object.entries(n).filter(([k]) => !keys.includes(k)));

/**
 * Intended differences, by field: how to turn tsop's schema of the field into controller-gen's.
 * - controller-gen reads @embeddedResource (validation:EmbeddedResource), @nullable and @default as
 *   field markers only and drops them on a type; tsop honours them on the type, wherever it is used;
 * - @wireType on an object type: controller-gen keeps the Go struct's properties under `type:
 *   string`, which is not a structural schema; tsop writes the wire type only;
 * - int-or-string: controller-gen writes `type: string` next to x-kubernetes-int-or-string for a Go
 *   string type with XIntOrString (the apiserver refuses a type there); tsop writes the anyOf of
 *   integer and string. The string bounds and enum are the same.
 */
const INTENDED: Record<string, (n: Schema) => Schema> = {
  embedded: without("x-kubernetes-embedded-resource"),
  embeddeds: without("x-kubernetes-embedded-resource"),
  maybe: without("nullable"),
  maybes: without("nullable"),
  mode: without("default"),
  modes: without("default"),
  stamp: (n) => ({ ...n, properties: { seconds: { format: "int32", type: "integer" } }, required: ["seconds"] }),
  stamps: (n) => ({ ...n, properties: { seconds: { format: "int32", type: "integer" } }, required: ["seconds"] }),
  ...Object.fromEntries(["port", "ports", "portByName", "size", "sizes", "sizeByName"].map((k) => [k, (n: Schema) => ({ ...without("anyOf")(n), type: "string" })])),
};

let crdText = "";
beforeAll(async () => {
  const r = await runFixture("type-tag-matrix");
  if (!r.ok) throw new Error(r.message);
  crdText = r.crd;
});

test("every type-level tag is applied wherever the type is used, as controller-gen applies it", () => {
  const ours = specProperties(parse(crdText) as Schema);
  const theirs = specProperties(parse(readFileSync(new URL("./controller-gen/typematrix.yaml", import.meta.url), "utf8")) as Schema);
  expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
  const differing: string[] = [];
  for (const [field, schema] of Object.entries(ours)) {
    const f = INTENDED[field];
    expect(f ? strip(atType(schema, f)) : schema, field).toEqual(theirs[field]);
    if (JSON.stringify(schema) !== JSON.stringify(theirs[field])) differing.push(field);
  }
  // The intended differences are real (each would fail without its rewrite) and the only ones.
  expect(differing.sort()).toEqual(Object.keys(INTENDED).sort());
  // The tags a type carries reach lists, maps and nested aliases (spot checks of the compared schema).
  expect(ours.labelByName!.additionalProperties).toEqual(ours.label);
  expect(ours.shortLabels!.items).toEqual({ ...ours.label, format: "hostname" });
  expect((ours.sizes!.items as Schema).maxLength).toBe(3);
  expect((ours.freeByName!.additionalProperties as Schema)["x-kubernetes-preserve-unknown-fields"]).toBe(true);
});

let envt: Environment;
let env: StartedEnvironment;
afterAll(async () => { await envt?.stop(); });

test("the matrix CRD is accepted by the apiserver", async () => {
  envt = new Environment();
  env = await envt.start();
  const crd = parse(crdText) as Schema;
  const r = await request(env, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All", crd);
  expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
}, 180_000);
