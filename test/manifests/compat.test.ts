/** CRD compatibility between releases: each kind of break on fixtures, and `tsop manifests --check-compat` end to end. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { runManifests } from "../../src/cli/manifests.js";
import { UserError } from "../../src/errors.js";
import { compareCrds, type Crd } from "../../src/manifests/compat.js";
import type { JSONSchemaProps } from "../../src/schema/json-schema.js";

const spec = (props: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: "object", properties: { spec: { type: "object", properties: props, ...extra } } });
const crd = (versions: { name: string; served?: boolean; storage?: boolean; schema?: JSONSchemaProps }[], scope = "Namespaced"): Crd => ({
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.example.com" },
  spec: { group: "example.com", scope, names: { kind: "Widget", plural: "widgets" }, versions: versions.map((v) => ({ served: true, storage: false, ...v, schema: { openAPIV3Schema: v.schema ?? spec({}) } })) },
});
const one = (props: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): Crd => crd([{ name: "v1", storage: true, schema: spec(props, extra) }]);
const kinds = (a: Crd, b: Crd): string[] => compareCrds([a], [b]).map((x) => `${x.kind} ${x.version}${x.path ? ` ${x.path}` : ""}`);

describe("compareCrds: every kind of break", () => {
  const s = { type: "string" } as const;
  test("versions: removed, unserved, storage moved off a served version, scope", () => {
    const two = crd([{ name: "v1", storage: true }, { name: "v2" }]);
    expect(kinds(two, crd([{ name: "v2", storage: true }]))).toEqual(["version-removed v1"]);
    expect(kinds(two, crd([{ name: "v1", served: false }, { name: "v2", storage: true }]))).toEqual(["storage-version v1", "version-unserved v1"]);
    expect(kinds(two, crd([{ name: "v1" }, { name: "v2", storage: true }]))).toEqual([]);
    expect(kinds(two, crd([{ name: "v1", storage: true }, { name: "v2" }], "Cluster"))).toEqual(["scope-changed *"]);
    expect(compareCrds([two], [])).toHaveLength(2);
  });
  test("fields: removed or renamed, type changed, new required field without a default", () => {
    expect(kinds(one({ a: s, b: s }), one({ a: s, c: s }))).toEqual(["field-removed v1 .spec.b"]);
    expect(kinds(one({ a: s }), one({ a: { type: "integer" } }))).toEqual(["type-changed v1 .spec.a"]);
    expect(kinds(one({ a: { type: "integer" } }), one({ a: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] } }))).toEqual([]);
    expect(kinds(one({ a: s }), one({ a: s, b: s }, { required: ["b"] }))).toEqual(["required-added v1 .spec.b"]);
    expect(kinds(one({ a: s }), one({ a: s, b: { type: "string", default: "x" } }, { required: ["b"] }))).toEqual([]);
  });
  test("validation tightened: lower maximum, shorter maxLength, smaller enum, new pattern, new CEL rule", () => {
    expect(kinds(one({ n: { type: "integer", maximum: 10 } }), one({ n: { type: "integer", maximum: 5 } }))).toEqual(["maximum-lowered v1 .spec.n"]);
    expect(kinds(one({ n: { type: "integer", maximum: 10 } }), one({ n: { type: "integer", maximum: 20 } }))).toEqual([]);
    expect(kinds(one({ x: { type: "string", maxLength: 10 } }), one({ x: { type: "string", maxLength: 5 } }))).toEqual(["maximum-lowered v1 .spec.x"]);
    expect(kinds(one({ x: { type: "string" } }), one({ x: { type: "string", minLength: 1 } }))).toEqual(["minimum-raised v1 .spec.x"]);
    expect(kinds(one({ e: { type: "string", enum: ["a", "b"] } }), one({ e: { type: "string", enum: ["a"] } }))).toEqual(["enum-narrowed v1 .spec.e"]);
    expect(kinds(one({ e: { type: "string", enum: ["a"] } }), one({ e: { type: "string", enum: ["a", "b"] } }))).toEqual([]);
    expect(kinds(one({ x: s }), one({ x: { type: "string", pattern: "^a" } }))).toEqual(["pattern-added v1 .spec.x"]);
    expect(kinds(one({ x: s }), one({ x: s }, { "x-kubernetes-validations": [{ rule: "self.x != ''" }] }))).toEqual(["rule-added v1 .spec"]);
    expect(kinds(one({ x: s }), one({ x: s }, { "x-kubernetes-validations": [{ rule: "self.x == oldSelf.x" }] }))).toEqual([]);
    expect(kinds(one({ l: { type: "array", items: s } }), one({ l: { type: "array", items: { type: "string", maxLength: 3 } } }))).toEqual(["maximum-lowered v1 .spec.l[*]"]);
  });
  test("accepted changes by id or by kind are let through", () => {
    const a = one({ a: s, b: s });
    const b = one({ a: { type: "integer" } });
    const all = compareCrds([a], [b]);
    expect(all.map((x) => x.id)).toEqual(["type-changed:widgets.example.com/v1:.spec.a", "field-removed:widgets.example.com/v1:.spec.b"]);
    expect(compareCrds([a], [b], new Set(["field-removed:widgets.example.com/v1:.spec.b"])).map((x) => x.kind)).toEqual(["type-changed"]);
    expect(compareCrds([a], [b], new Set(["field-removed", "type-changed"]))).toEqual([]);
  });
});

describe("tsop manifests --check-compat", () => {
  const FIX = fileURLToPath(new URL("./fixtures/memcached/", import.meta.url));
  const temps: string[] = [];
  afterAll(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }); });
  const project = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "tsop-compat-"));
    temps.push(dir);
    cpSync(FIX, dir, { recursive: true });
    return dir;
  };
  const run = async (dir: string, flags: { checkCompat?: string; accept?: string[] }): Promise<{ out: string; error?: UserError }> => {
    let out = "";
    try {
      await runManifests(dir, { check: false, dryRun: false, ...flags }, undefined, (s) => { out += s; }, () => {});
      return { out };
    } catch (e) {
      if (e instanceof UserError) return { out, error: e };
      throw e;
    }
  };
  const api = "src/api/cache/v1alpha1/memcached.ts";

  test("against a git ref: one line per break, exit-1 error, nothing written; --accept lets them through", async () => {
    const dir = project();
    const g = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "ignore" });
    await run(dir, {});
    g("init", "-q"); g("add", "-A"); g("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1");
    const crdFile = join(dir, "config/crd/bases/cache.example.com_memcacheds.yaml");
    const before = readFileSync(crdFile, "utf8");
    writeFileSync(join(dir, api), readFileSync(join(dir, api), "utf8").replace("@maximum 5", "@maximum 3").replace("  containerPort?: Int32;\n", ""));
    const r = await run(dir, { checkCompat: "HEAD" });
    expect(r.error?.format()).toBe([
      "memcacheds.cache.example.com v1alpha1 .spec.containerPort: field containerPort was removed (or renamed); the apiserver prunes it from stored objects and clients setting it lose the value (accept it with --accept field-removed:memcacheds.cache.example.com/v1alpha1:.spec.containerPort)",
      "memcacheds.cache.example.com v1alpha1 .spec.size: maximum 5 became 3; stored values above it fail validation on their next update (accept it with --accept maximum-lowered:memcacheds.cache.example.com/v1alpha1:.spec.size)",
    ].join("\n"));
    expect(readFileSync(crdFile, "utf8")).toBe(before);
    const ok = await run(dir, { checkCompat: "HEAD", accept: ["maximum-lowered:memcacheds.cache.example.com/v1alpha1:.spec.size", "field-removed"] });
    expect(ok.error).toBeUndefined();
    expect(ok.out).toBe("compatible with git ref HEAD\n");
  });

  test("against a directory and a YAML file; bad sources are one line", async () => {
    const dir = project();
    await run(dir, {});
    cpSync(join(dir, "config/crd/bases"), join(dir, "old"), { recursive: true });
    writeFileSync(join(dir, "install.yaml"), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\n${readFileSync(join(dir, "config/crd/bases/cache.example.com_memcacheds.yaml"), "utf8")}`);
    expect((await run(dir, { checkCompat: "old" })).out).toBe("compatible with directory old\n");
    expect((await run(dir, { checkCompat: "install.yaml" })).out).toBe("compatible with file install.yaml\n");
    writeFileSync(join(dir, api), readFileSync(join(dir, api), "utf8").replace("  image?: string;", "  image?: string;\n  /** @maxLength 5 */\n  mode: string;"));
    expect((await run(dir, { checkCompat: "install.yaml" })).error?.format()).toContain("memcacheds.cache.example.com v1alpha1 .spec.mode: field mode became required without a default");
    expect((await run(dir, { checkCompat: "no-such-ref" })).error?.format()).toBe("--check-compat no-such-ref: not a directory, a file or a git ref of this repository (pass e.g. v1.2.0, HEAD~1, a release's dist/install.yaml or a directory of CRDs)");
    writeFileSync(join(dir, "bad.yaml"), "a: [\n");
    expect((await run(dir, { checkCompat: "bad.yaml" })).error?.format()).toMatch(/^bad\.yaml:\d+:\d+: not valid YAML/);
    expect((await run(dir, { accept: ["field-removed"] })).error?.format()).toBe("--accept needs --check-compat (tsop manifests --check-compat <ref> --accept <change>)");
  });
});
