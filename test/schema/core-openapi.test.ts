/**
 * The core-type table (generated from controller-gen's output for the k8s.io/api version in
 * CORE_SCHEMA_SOURCE, v0.37.2) against the OpenAPI v3 that the real kube-apiserver of the default
 * Kubernetes version (1.37.2) publishes: same properties, same required fields,
 * same int-or-string leaves. What controller-gen adds on top (defaults, map/list types) is listed.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { CORE_SCHEMA_SOURCE, CORE_TYPE_NAMES, coreSchema } from "../../src/schema/core-schemas.js";
import type { JSONSchemaProps } from "../../src/schema/json-schema.js";
import { request } from "./kube.js";

interface OpenApiSchema {
  type?: string;
  format?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema;
  allOf?: OpenApiSchema[];
  $ref?: string;
  "x-kubernetes-int-or-string"?: boolean;
}

const PREFIX: Record<string, string> = { Condition: "io.k8s.apimachinery.pkg.apis.meta.v1.", LabelSelector: "io.k8s.apimachinery.pkg.apis.meta.v1.", LabelSelectorRequirement: "io.k8s.apimachinery.pkg.apis.meta.v1.", OwnerReference: "io.k8s.apimachinery.pkg.apis.meta.v1.", JobTemplateSpec: "io.k8s.api.batch.v1.", JobSpec: "io.k8s.api.batch.v1.", DeploymentStrategy: "io.k8s.api.apps.v1." };
const SKIP = new Set(["ResourceList"]);
let envt: Environment;
let env: StartedEnvironment;
const components: Record<string, OpenApiSchema> = {};

beforeAll(async () => {
  envt = new Environment();
  env = await envt.start();
  for (const path of ["/openapi/v3/api/v1", "/openapi/v3/apis/batch/v1", "/openapi/v3/apis/apps/v1", "/openapi/v3/apis/admissionregistration.k8s.io/v1"]) {
    const r = await request(env, "GET", path);
    expect(r.status, path).toBe(200);
    Object.assign(components, (r.body.components as { schemas: Record<string, OpenApiSchema> }).schemas);
  }
}, 180_000);
afterAll(async () => { await envt?.stop(); });

function deref(s: OpenApiSchema): OpenApiSchema {
  let cur = s;
  for (let i = 0; i < 5; i++) {
    const ref = cur.$ref ?? cur.allOf?.[0]?.$ref;
    if (!ref) return cur;
    cur = components[ref.replace("#/components/schemas/", "")] ?? {};
  }
  return cur;
}

/** Structural differences between our schema and the apiserver's, as path: message lines. */
function compare(ours: JSONSchemaProps, theirs: OpenApiSchema, path: string, out: string[], depth = 0): void {
  const t = deref(theirs);
  if (depth > 12) return;
  // The published OpenAPI writes IntOrString and Quantity as strings with a format; controller-gen
  // emits them as x-kubernetes-int-or-string (with the Quantity pattern).
  const oneOf = (t as { oneOf?: OpenApiSchema[] }).oneOf?.map((x) => x.type).sort().join();
  const theirsIos = !!t["x-kubernetes-int-or-string"] || t.format === "int-or-string" || oneOf === "number,string" || oneOf === "integer,string";
  if (theirsIos || ours["x-kubernetes-int-or-string"]) {
    if (theirsIos !== !!ours["x-kubernetes-int-or-string"]) out.push(`${path}: int-or-string differs (apiserver: ${t.type ?? oneOf ?? "?"} ${t.format ?? ""})`);
    return;
  }
  if (t.type && ours.type && t.type !== ours.type) out.push(`${path}: type ${ours.type} vs ${t.type}`);
  if (t.properties || ours.properties) {
    const a = Object.keys(ours.properties ?? {}).sort();
    const b = Object.keys(t.properties ?? {}).sort();
    if (a.join() !== b.join()) out.push(`${path}: properties differ: only ours [${a.filter((x) => !b.includes(x))}], only apiserver [${b.filter((x) => !a.includes(x))}]`);
    const ra = [...(ours.required ?? [])].sort().join();
    const rb = [...(t.required ?? [])].sort().join();
    if (ra !== rb) out.push(`${path}: required [${ra}] vs [${rb}]`);
    for (const k of a) if (t.properties?.[k]) compare(ours.properties![k]!, t.properties[k]!, `${path}.${k}`, out, depth + 1);
  }
  if (ours.items && t.items) compare(ours.items, t.items, `${path}[]`, out, depth + 1);
  if (ours.additionalProperties && typeof ours.additionalProperties === "object" && t.additionalProperties) compare(ours.additionalProperties, t.additionalProperties, `${path}{}`, out, depth + 1);
}

test(`core types (${CORE_SCHEMA_SOURCE.k8sApi}) match the apiserver's published OpenAPI`, () => {
  const diffs: string[] = [];
  let compared = 0;
  for (const name of CORE_TYPE_NAMES) {
    if (SKIP.has(name)) continue;
    const key = (PREFIX[name] ?? "io.k8s.api.core.v1.") + name;
    const theirs = components[key];
    if (!theirs) { diffs.push(`${name}: not in the apiserver's OpenAPI (${key})`); continue; }
    compare(coreSchema(name)!, theirs, name, diffs);
    compared++;
  }
  expect(compared).toBeGreaterThan(40);
  // The only structural differences: metadata of embedded templates, which controller-gen reduces
  // to `type: object` (without crd:generateEmbeddedObjectMeta), as it does for every ObjectMeta.
  const unexpected = diffs.filter((d) => !/\.metadata: properties differ: only ours \[\], only apiserver/.test(d));
  expect(unexpected).toEqual([]);
});
