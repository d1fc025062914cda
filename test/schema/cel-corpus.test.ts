/**
 * Differential test of tsop's CEL checks against the real kube-apiserver: every rule of the corpus
 * (test/schema/cel-corpus.ts) goes into a CRD that the apiserver validates (dryRun); tsop's verdict
 * on the same rule and schema node must be the apiserver's.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { checkRule } from "../../src/schema/cel.js";
import { checkSchema } from "../../src/schema/checks.js";
import { Diagnostics } from "../../src/schema/diagnostics.js";
import { reportedRules } from "../../src/schema/rules.js";
import type { JSONSchemaProps, ValidationRule } from "../../src/schema/json-schema.js";
import { CORPUS, CRD_CASES, SPEC, type CelCase } from "./cel-corpus.js";
import { request } from "./kube.js";

let envt: Environment;
let env: StartedEnvironment;
beforeAll(async () => { envt = new Environment(); env = await envt.start(); }, 180_000);
afterAll(async () => { await envt?.stop(); });

function ruleOf(c: CelCase): ValidationRule {
  const r: ValidationRule = { rule: c.rule };
  if (c.messageExpression) r.messageExpression = c.messageExpression;
  if (c.optionalOldSelf) r.optionalOldSelf = true;
  return r;
}

/** The resource's root schema as tsop writes it, around `spec`. */
function rootOf(spec: JSONSchemaProps): JSONSchemaProps {
  return { type: "object", properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec } };
}

/** The root schema (spec with the case's extra fields) with the case's rule on the node at `at` ("^" first: from the root). */
function placed(c: CelCase): JSONSchemaProps {
  const spec = structuredClone(SPEC);
  Object.assign(spec.properties!, structuredClone(c.fields ?? {}));
  const root = rootOf(spec);
  const path = c.at ?? [];
  let node = path[0] === "^" ? root : spec;
  for (const k of path[0] === "^" ? path.slice(1) : path) node = k === "[]" ? node.items! : k === "*" ? node.additionalProperties as JSONSchemaProps : node.properties![k]!;
  node["x-kubernetes-validations"] = [ruleOf(c)];
  return root;
}

/**
 * tsop's verdict on a spec schema, through the checks \`tsop manifests\` runs: each rule's syntax and
 * field names where its tag is read (cel.ts), then types, costs (per expression and the total) and
 * transition rules on the finished schema (checks.ts). Returns the error messages.
 */
function tsopErrors(root: JSONSchemaProps): string[] {
  const diags = new Diagnostics();
  const at = { file: "corpus.ts", text: "", pos: 0 };
  const visit = (s: JSONSchemaProps): void => {
    for (const r of s["x-kubernetes-validations"] ?? []) {
      const node = { ...s };
      delete node["x-kubernetes-validations"];
      const problems = checkRule(r, node);
      if (problems.length) reportedRules.add(r);
      for (const p of problems) diags.error("cel", p.message, at, p.hint);
    }
    for (const p of Object.values(s.properties ?? {})) visit(p);
    if (s.items) visit(s.items);
    if (s.additionalProperties && typeof s.additionalProperties === "object") visit(s.additionalProperties);
  };
  visit(root);
  checkSchema(root, { diags, at, status: false });
  return diags.errors.map((e) => e.message);
}

function crd(root: JSONSchemaProps): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "celcases.cel.tsop.dev" },
    spec: {
      group: "cel.tsop.dev", scope: "Namespaced", names: { kind: "CelCase", listKind: "CelCaseList", plural: "celcases", singular: "celcase" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: root } }],
    },
  };
}

/** "by factor of 1.234567x" in a cost message (the apiserver prints 6 decimals under 1.5x). */
function costFactor(message: string): string | undefined {
  return /by (?:a )?factor of ([\d.]+x|more than 100x)/.exec(message)?.[1];
}

test("tsop's verdict equals the apiserver's on every CEL rule of the corpus", async () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(150);
  const rows: { c: CelCase; apiserver: boolean; tsop: boolean; why: string }[] = [];
  const factors: { rule: string; apiserver: string | undefined; tsop: string | undefined }[] = [];
  for (const c of CORPUS) {
    const root = placed(c);
    const r = await request(env, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All", crd(root));
    expect([201, 422], `${c.rule}: ${JSON.stringify(r.body).slice(0, 300)}`).toContain(r.status);
    const problems = tsopErrors(root);
    const apiMessage = String(r.body.message ?? "");
    const tsopMessage = problems.join("; ");
    rows.push({ c, apiserver: r.status === 201, tsop: problems.length === 0, why: r.status === 201 ? tsopMessage : apiMessage });
    // Where both refuse a rule for its cost, the estimate must be the apiserver's (its factor has 6 decimals under 1.5x).
    // (tsop does not go on to types and cost once a rule has a syntax or field-name error; the apiserver may report both.)
    if (costFactor(apiMessage) && costFactor(tsopMessage)) factors.push({ rule: c.rule, apiserver: costFactor(apiMessage), tsop: costFactor(tsopMessage) });
  }
  const disagree = rows.filter((x) => x.apiserver !== x.tsop);
  for (const d of disagree) console.log(`${d.apiserver ? "apiserver ACCEPTS" : "apiserver REJECTS"} ${JSON.stringify(d.c)} :: ${d.why.slice(0, 400)}`);
  console.log(`agree ${rows.length - disagree.length}/${rows.length}; apiserver rejects ${rows.filter((x) => !x.apiserver).length}; cost factors compared ${factors.length}`);
  // Both verdicts occur often enough for the comparison to mean something.
  expect(rows.filter((x) => !x.apiserver).length).toBeGreaterThan(50);
  expect(rows.filter((x) => x.apiserver).length).toBeGreaterThan(100);
  expect(disagree.map((d) => `${d.apiserver ? "accepted" : "refused"}: ${d.c.rule}`)).toEqual([]);
  expect(factors.filter((f) => f.apiserver !== f.tsop)).toEqual([]);
  expect(factors.length).toBeGreaterThan(10);
}, 600_000);

test("tsop's verdict equals the apiserver's on the total estimated cost of a schema's rules", async () => {
  const rows: { name: string; apiserver: boolean; tsop: boolean; api: string; ours: string }[] = [];
  for (const c of CRD_CASES) {
    const r = await request(env, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All", crd(rootOf(c.spec)));
    expect([201, 422], `${c.name}: ${JSON.stringify(r.body).slice(0, 300)}`).toContain(r.status);
    const errors = tsopErrors(rootOf(c.spec));
    rows.push({ name: c.name, apiserver: r.status === 201, tsop: errors.length === 0, api: String(r.body.message ?? ""), ours: errors.join("; ") });
  }
  for (const x of rows) console.log(`${x.name}: apiserver ${x.apiserver ? "accepts" : "refuses"}, tsop ${x.tsop ? "accepts" : "refuses"} :: ${(x.apiserver ? x.ours : x.api).slice(0, 300)}`);
  expect(rows.filter((x) => x.apiserver !== x.tsop).map((x) => x.name)).toEqual([]);
  // The total's factor as the apiserver prints it is tsop's too.
  for (const x of rows.filter((y) => !y.apiserver && /cost total for entire OpenAPIv3 schema exceeds budget/.test(y.api))) {
    expect(costFactor(x.ours.split("; ")[0] ?? ""), x.name).toBe(/cost total for entire OpenAPIv3 schema exceeds budget by factor of ([\d.]+x|more than 100x)/.exec(x.api)?.[1]);
  }
  expect(rows.filter((x) => !x.apiserver).length).toBeGreaterThanOrEqual(3);
  expect(rows.filter((x) => x.apiserver).length).toBeGreaterThanOrEqual(3);
}, 300_000);
