/** Every golden CRD is accepted by the real kube-apiserver (tsop/envtest) and enforces its schema. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { GOLDEN } from "./run-fixture.js";
import { request, type Reply } from "./kube.js";
import { fileURLToPath } from "node:url";
import { generateManifests } from "../../src/cli/manifests-engine.js";
import type { ProjectResource } from "../../src/project/model.js";
import { readRbacTags, roleDocuments } from "../../src/manifests/rbac.js";
import { Diagnostics } from "../../src/schema/diagnostics.js";

const crds = readdirSync(GOLDEN).filter((f) => f.endsWith(".yaml")).sort().map((f) => parse(readFileSync(join(GOLDEN, f), "utf8")) as { metadata: { name: string } });
let envt: Environment;
let env: StartedEnvironment;

const MULTI = fileURLToPath(new URL("../manifests/fixtures/multiversion/", import.meta.url));
const ship = (v: string): ProjectResource => ({ group: "ship", domain: "tsop.dev", kind: "Frigate", plural: "frigates", version: v, path: `src/api/ship/${v}/frigate.ts`, namespaced: true, controller: false, crd: true });

beforeAll(async () => {
  const multi = await generateManifests({ projectDir: MULTI, cache: false, project: { version: "3", layout: "tsop.dev/v1", domain: "tsop.dev", repo: "x", projectName: "x", namespaced: false, resources: [ship("v1"), ship("v1beta1"), ship("v2")] } });
  crds.push(parse(multi.files[0]!.content) as { metadata: { name: string } });
  envt = new Environment({ crds });
  env = await envt.start();
}, 180_000);
afterAll(async () => { await envt?.stop(); });

const base = (kind: string, plural: string, ns = true): string => `/apis/fixtures.tsop.dev/v1${ns ? "/namespaces/default" : ""}/${plural}`;
const obj = (kind: string, name: string, spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: "fixtures.tsop.dev/v1", kind, metadata: { name }, spec, ...extra });
const message = (r: Reply): string => String(r.body.message ?? "");

describe("golden CRDs on a real apiserver", () => {
  test("every CRD is accepted and established", async () => {
    for (const c of crds) {
      const r = await request(env, "GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c.metadata.name}`);
      expect(r.status, c.metadata.name).toBe(200);
      const conds = ((r.body.status as { conditions?: { type: string; status: string }[] }).conditions ?? []);
      expect(conds.find((x) => x.type === "Established")?.status, c.metadata.name).toBe("True");
      expect(conds.find((x) => x.type === "NonStructuralSchema"), c.metadata.name).toBeUndefined();
    }
  });

  test("tags: defaults applied, bounds/pattern/CEL enforced", async () => {
    const url = base("Tagged", "taggeds");
    const ok = await request(env, "POST", url, obj("Tagged", "ok", { region: "eu" }));
    expect(ok.status, message(ok)).toBe(201);
    const spec = ok.body.spec as Record<string, unknown>;
    expect(spec.replicas).toBe(3);
    expect(spec.names).toEqual(["a", "b"]);
    expect(spec.extra).toEqual({});
    const bad = async (name: string, s: Record<string, unknown>, expectText: string) => {
      const r = await request(env, "POST", url, obj("Tagged", name, { region: "eu", ...s }));
      expect(r.status, `${name}: ${message(r)}`).toBe(422);
      expect(message(r)).toContain(expectText);
    };
    await bad("even", { even: 10 }, "spec.even");
    await bad("odd", { even: 3 }, "multiple of 2");
    await bad("short", { short: "ABC" }, "spec.short");
    await bad("email", { uniques: ["a", "a"] }, "Duplicate value");
    await bad("prefix", { prefixed: "abc" }, "must start with x-");
    await bad("many", { uniques: ["a", "b", "c", "d", "e"] }, "must have at most 4 items");
    await bad("env", { env: {} }, "spec.env");
    await bad("items", { atomicList: ["ok", "TOOLONG"] }, "spec.atomicList[1]");
    const long = await request(env, "POST", url, obj("Tagged", "a-very-long-name-that-is-more-than-forty-chars", { region: "eu" }));
    expect(message(long)).toContain("name too long");
    const upd = await request(env, "PATCH", `${url}/ok`, { spec: { region: "us" } }, "application/merge-patch+json");
    expect(upd.status).toBe(422);
    expect(message(upd)).toContain("field is immutable");
  });

  test("resource-level: cluster scope, enum default, root CEL rule, columns", async () => {
    const url = base("Cluster", "clusters", false);
    const ok = await request(env, "POST", url, obj("Cluster", "c1", {}));
    expect(ok.status, message(ok)).toBe(201);
    expect(ok.body.spec).toEqual({ nodes: 3, channel: "stable" });
    const tooMany = await request(env, "POST", url, obj("Cluster", "c2", { nodes: 200 }));
    expect(message(tooMany)).toContain("at most 100 nodes");
    const badEnum = await request(env, "POST", url, obj("Cluster", "c3", { channel: "alpha" }));
    expect(badEnum.status).toBe(422);
    expect(message(badEnum)).toContain("Unsupported value");
    const table = await request(env, "GET", url, undefined, "application/json", "application/json;as=Table;v=v1;g=meta.k8s.io");
    expect((table.body.columnDefinitions as { name: string }[]).map((c) => c.name)).toEqual(["Name", "Nodes", "Channel", "Age"]);
    expect((table.body.rows as { cells: unknown[] }[])[0]!.cells.slice(0, 3)).toEqual(["c1", 3, "stable"]);
    const selected = await request(env, "GET", `${url}?fieldSelector=spec.channel%3Dbeta`);
    expect((selected.body.items as unknown[]).length).toBe(0);
  });

  test("named types: allOf bounds from type and field, one-of rules", async () => {
    const url = base("Named", "nameds");
    const good = { primary: { host: "db.local", port: 5432 } };
    const ok = await request(env, "POST", url, obj("Named", "n1", { ...good, alias: "short", source: { url: "x" } }));
    expect(ok.status, message(ok)).toBe(201);
    expect((ok.body.spec as Record<string, unknown>).logLevel).toBe("info");
    const contact = await request(env, "POST", url, obj("Named", "n6", { ...good, contact: {} }));
    expect(message(contact)).toContain("at least one of the fields in [email phone] must be set");
    const alias = await request(env, "POST", url, obj("Named", "n2", { ...good, alias: "much-too-long-alias" }));
    expect(message(alias)).toContain("spec.alias");
    const both = await request(env, "POST", url, obj("Named", "n3", { ...good, source: { url: "x", configMap: "y" } }));
    expect(message(both)).toContain("exactly one of the fields in [url configMap] must be set");
    const dash = await request(env, "POST", url, obj("Named", "n4", { ...good, source: { url: "x", "x-foo": "a", bar: "b" } }));
    expect(message(dash)).toContain("at most one of the fields in [x-foo bar] may be set");
    const port = await request(env, "POST", url, obj("Named", "n5", { primary: { host: "db", port: 70000 } }));
    expect(message(port)).toContain("spec.primary.port");
  });

  test("unions and scalars: discriminated union rule, quantity pattern, int-or-string enum", async () => {
    const b = base("Backup", "backups");
    const ok = await request(env, "POST", b, obj("Backup", "b1", { target: { type: "S3", bucket: "x" } }));
    expect(ok.status, message(ok)).toBe(201);
    const mixed = await request(env, "POST", b, obj("Backup", "b2", { target: { type: "S3", bucket: "x", claimName: "c" } }));
    expect(message(mixed)).toContain("must match the branch selected by type");
    const missing = await request(env, "POST", b, obj("Backup", "b3", { target: { type: "Volume" } }));
    expect(missing.status).toBe(422);
    const s = base("Scalar", "scalars");
    const q = await request(env, "POST", s, obj("Scalar", "s1", { text: "t", memory: "1Gi", port: 80, portOrName: "http", mixed: "auto", phase: "Running" }));
    expect(q.status, message(q)).toBe(201);
    const badQ = await request(env, "POST", s, obj("Scalar", "s2", { text: "t", memory: "lots" }));
    expect(message(badQ)).toContain("spec.memory");
    const badMixed = await request(env, "POST", s, obj("Scalar", "s3", { text: "t", mixed: 7 }));
    expect(message(badMixed)).toContain("spec.mixed");
  });

  test("core types: a pod template is accepted, a bad toleration operator rejected", async () => {
    const url = base("Workload", "workloads");
    const spec = { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "nginx", resources: { limits: { cpu: "500m" } } }] } } };
    const ok = await request(env, "POST", url, obj("Workload", "w1", spec));
    expect(ok.status, message(ok)).toBe(201);
    const bad = await request(env, "POST", url, obj("Workload", "w2", { ...spec, template: { spec: {} } }));
    expect(bad.status).toBe(422);
    expect(message(bad)).toContain("containers");
  });

  test("several versions: both served, v2 stored, v1 deprecated with its warning, bounds per version", async () => {
    const v1 = await request(env, "POST", "/apis/ship.tsop.dev/v1/namespaces/default/frigates", { apiVersion: "ship.tsop.dev/v1", kind: "Frigate", metadata: { name: "f1" }, spec: { crew: 0 } });
    expect(v1.status, message(v1)).toBe(201);
    expect(v1.warning).toContain("ship.tsop.dev/v1 Frigate is deprecated");
    const v2 = await request(env, "GET", "/apis/ship.tsop.dev/v2/namespaces/default/frigates/f1");
    expect(v2.status).toBe(200);
    expect(v2.body.apiVersion).toBe("ship.tsop.dev/v2");
    const bad = await request(env, "POST", "/apis/ship.tsop.dev/v2/namespaces/default/frigates", { apiVersion: "ship.tsop.dev/v2", kind: "Frigate", metadata: { name: "f2" }, spec: { crew: 0 } });
    expect(bad.status).toBe(422);
    const crd = await request(env, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/frigates.ship.tsop.dev");
    expect((crd.body.status as { storedVersions: string[] }).storedVersions).toEqual(["v2"]);
    // v1beta1 has @skipVersion: not in the CRD at all.
    expect((crd.body.spec as { versions: { name: string }[] }).versions.map((v) => v.name)).toEqual(["v1", "v2"]);
    const discovery = await request(env, "GET", "/apis/ship.tsop.dev");
    expect((discovery.body.versions as { version: string }[]).map((v) => v.version).sort()).toEqual(["v1", "v2"]);
  });
  test("controller-gen constructs: string bounds on int-or-string, type-level @intOrString and @preserveUnknownFields, embedded object type", async () => {
    const url = base("Compat", "compats");
    const ok = await request(env, "POST", url, obj("Compat", "c1", {
      port: 123456, target: "http", nested: 8080, targets: ["a", 1], byName: { x: "web" }, size: "foo", sizes: [1, "bar"],
      settings: { a: { b: [1, 2] } }, settingsList: [{ x: 1 }], settingsByName: { k: { y: true } }, bag: { any: "thing" },
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } },
    }));
    expect(ok.status, message(ok)).toBe(201);
    const spec = ok.body.spec as Record<string, unknown>;
    expect(spec.settings).toEqual({ a: { b: [1, 2] } });
    expect(spec.settingsByName).toEqual({ k: { y: true } });
    expect(spec.bag).toEqual({ any: "thing" });
    const bad = async (name: string, s: Record<string, unknown>, expectText: string) => {
      const r = await request(env, "POST", url, obj("Compat", name, s));
      expect(r.status, `${name}: ${message(r)}`).toBe(422);
      expect(message(r)).toContain(expectText);
    };
    await bad("port-long", { port: "abcdef" }, "spec.port: Too long");
    await bad("port-pattern", { port: "A-B" }, "spec.port");
    await bad("target-long", { target: "a-very-long-port-name" }, "spec.target: Too long");
    await bad("nested-pattern", { nested: "Bad_Name" }, "spec.nested");
    await bad("list-item", { targets: ["ok", ""] }, "spec.targets[1]");
    await bad("map-value", { byName: { x: "UPPER" } }, "spec.byName.x");
    await bad("size-enum", { size: 3 }, "spec.size: Unsupported value");
    await bad("sizes-enum", { sizes: ["baz"] }, "spec.sizes[0]: Unsupported value");
    await bad("embedded", { object: { metadata: { name: "x" } } }, "spec.object.kind");
  });
  test("newer markers: one-of groups (several per kind, controller-gen's order), @wireType, CRD labels", async () => {
    const crd = await request(env, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/markers.fixtures.tsop.dev");
    expect((crd.body.metadata as { labels?: Record<string, string> }).labels).toEqual({ "app.kubernetes.io/part-of": "fixtures", tier: "schema" });
    const url = base("Marker", "markers");
    const endpoint = { http: true, tls: true, port: 80 };
    const ok = await request(env, "POST", url, obj("Marker", "m1", { endpoint, since: "2026-01-02T03:04:05Z", count: 2 }));
    expect(ok.status, message(ok)).toBe(201);
    const bad = async (name: string, s: Record<string, unknown>, expectText: string) => {
      const r = await request(env, "POST", url, obj("Marker", name, s));
      expect(r.status, `${name}: ${message(r)}`).toBe(422);
      expect(message(r)).toContain(expectText);
    };
    await bad("two-protocols", { endpoint: { ...endpoint, grpc: true } }, "exactly one of the fields in [http grpc] must be set");
    await bad("no-tls-choice", { endpoint: { http: true, port: 80 } }, "exactly one of the fields in [tls plain] must be set");
    await bad("no-port", { endpoint: { http: true, tls: true } }, "at least one of the fields in [port portName] must be set");
    await bad("two-certs", { endpoint: { ...endpoint, cert: "a", certRef: "b" } }, "at most one of the fields in [cert certRef] may be set");
    await bad("negative-port", { endpoint: { ...endpoint, port: -1 } }, "port must be positive");
    await bad("since-object", { since: { seconds: 1, nanos: 0 } }, "spec.since");
    await bad("count-object", { count: { value: 1 } }, "spec.count");
    await bad("count-low", { count: 0 }, "spec.count");
  });

  test("@rbac roleName: rules split into the named roles, which the apiserver accepts", async () => {
    const diags = new Diagnostics();
    const tags = readRbacTags("src/controllers/x.ts", [
      "/**",
      " * @rbac groups=apps resources=deployments verbs=get;list",
      " * @rbac groups=apps resources=deployments verbs=get roleName=deployment-reader",
      " * @rbac groups=\"\" resources=secrets verbs=get namespace=default roleName=secret-reader",
      " */",
      "export class R {}",
    ].join("\n"), diags);
    expect(diags.errors.map((e) => e.format())).toEqual([]);
    const docs = roleDocuments(tags, { roleName: "manager-role", namespaced: false });
    expect(docs.map((d) => [d.kind, d.metadata])).toEqual([["ClusterRole", { name: "deployment-reader" }], ["ClusterRole", { name: "manager-role" }], ["Role", { name: "secret-reader", namespace: "default" }]]);
    for (const d of docs) {
      const m = d.metadata as { name: string; namespace?: string };
      const path = m.namespace ? `/apis/rbac.authorization.k8s.io/v1/namespaces/${m.namespace}/roles` : "/apis/rbac.authorization.k8s.io/v1/clusterroles";
      const r = await request(env, "POST", path, d);
      expect(r.status, `${m.name}: ${message(r)}`).toBe(201);
    }
  });

  test("numbers and ranges tsop refuses: what the apiserver does with them", async () => {
    // Each probe is a CRD with one field; tsop refuses every one of these (test/schema/fixtures/err-numbers.ts).
    let n = 0;
    const probe = async (field: Record<string, unknown>): Promise<Reply> => {
      const plural = `probes${++n}`;
      return request(env, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
        apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: `${plural}.numbers.tsop.dev` },
        spec: { group: "numbers.tsop.dev", scope: "Namespaced", names: { plural, singular: `probe${n}`, kind: `Probe${n}`, listKind: `Probe${n}List` },
          versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { x: field } } } } } }] },
      });
    };
    // Refused by the apiserver too: a default outside the bounds.
    const outside = await probe({ type: "integer", format: "int32", maximum: 5, default: 7 });
    expect(outside.status, message(outside)).toBe(422);
    expect(message(outside)).toMatch(/should be less than or equal to 5/);
    const past = await probe({ type: "integer", format: "int32", default: 3000000000 });
    expect(past.status, message(past)).toBe(422);
    expect(message(past)).toMatch(/must be of type integer with format int32/);
    // Accepted, though no value (or not the value written) can ever be stored: tsop is stricter.
    for (const [what, field] of [
      ["minimum above maximum", { type: "integer", minimum: 5, maximum: 3 }],
      ["exclusive bounds with nothing between", { type: "integer", minimum: 3, maximum: 3, exclusiveMaximum: true }],
      ["exclusiveMinimum without minimum", { type: "integer", exclusiveMinimum: true }],
      ["maximum past int32 on an int32", { type: "integer", format: "int32", maximum: 1e20 }],
      ["enum member above the maximum", { type: "integer", enum: [1, 10], maximum: 5 }],
    ] as const) {
      const r = await probe(field);
      expect(r.status, `${what}: ${message(r)}`).toBe(201);
    }
  });

  test("@rbac: what tsop refuses, the apiserver refuses or accepts as a rule that matches nothing", async () => {
    const refused = (text: string): string[] => {
      const d = new Diagnostics();
      readRbacTags("src/controllers/x.ts", `/**\n * @rbac ${text}\n */\nexport class R {}\n`, d, { kinds: [{ group: "apps", kind: "Deployment", plural: "deployments" }] });
      return d.errors.map((e) => e.format());
    };
    const post = (path: string, kind: string, rules: unknown[]) => request(env, "POST", path, { apiVersion: "rbac.authorization.k8s.io/v1", kind, metadata: { name: `probe-${Math.random().toString(36).slice(2, 8)}` }, rules });
    // Refused by the apiserver too: non-resource URLs in a Role, or with resources in one rule.
    expect(refused("urls=/metrics verbs=get namespace=default")[0]).toMatch(/urls= cannot be used with namespace=/);
    const role = await post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", "Role", [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }]);
    expect(role.status, message(role)).toBe(422);
    expect(message(role)).toMatch(/namespaced rules cannot apply to non-resource URLs/);
    expect(refused("urls=/metrics groups=apps resources=deployments verbs=get")[0]).toMatch(/urls= cannot be combined with resources=/);
    const both = await post("/apis/rbac.authorization.k8s.io/v1/clusterroles", "ClusterRole", [{ nonResourceURLs: ["/metrics"], apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] }]);
    expect(both.status, message(both)).toBe(422);
    expect(message(both)).toMatch(/rules cannot apply to both regular resources and non-resource URLs/);
    // An invalid namespace cannot hold a Role at all.
    expect(refused("groups=apps resources=deployments verbs=get namespace=Kube_System")[0]).toMatch(/namespace "Kube_System" is not a valid namespace name/);
    const badNs = await post("/apis/rbac.authorization.k8s.io/v1/namespaces/Kube_System/roles", "Role", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] }]);
    expect(badNs.status, message(badNs)).not.toBe(201);
    // Accepted by the apiserver, but matching no request: tsop is stricter and says why.
    expect(refused("groups=apps resources=deployment verbs=get")[0]).toMatch(/resources=deployment matches nothing: RBAC names kind Deployment by its lower-case plural deployments \(write resources=deployments\)/);
    expect(refused("groups=apps resources=deployments verbs=frob")[0]).toMatch(/unknown verb frob/);
    const silent = await post("/apis/rbac.authorization.k8s.io/v1/clusterroles", "ClusterRole", [{ apiGroups: ["apps"], resources: ["deployment", "Deployments"], verbs: ["frob"] }]);
    expect(silent.status, message(silent)).toBe(201);
  });
});
