/** generateManifests end to end over fixture projects: CRD files, role.yaml, versions, cache. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { afterAll, describe, expect, test } from "vitest";
import { generateManifests } from "../../src/cli/manifests-engine.js";
import { cacheFile } from "../../src/cli/manifests-cache.js";
import type { ProjectConfig, ProjectResource } from "../../src/project/model.js";
import { UserError } from "../../src/errors.js";

const FIX = fileURLToPath(new URL("./fixtures/", import.meta.url));
const res = (over: Partial<ProjectResource>): ProjectResource => ({
  group: "cache", domain: "example.com", version: "v1alpha1", kind: "Memcached", plural: "memcacheds",
  path: "src/api/cache/v1alpha1/memcached.ts", namespaced: true, controller: true, crd: true, ...over,
});
const project = (resources: ProjectResource[], namespaced = false): ProjectConfig => ({
  version: "3", layout: "tsop.dev/v1", domain: "example.com", repo: "github.com/acme/x", projectName: "x", namespaced, resources,
});
const temps: string[] = [];
afterAll(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }); });

describe("memcached project", () => {
  test("writes one CRD and a merged ClusterRole", async () => {
    const r = await generateManifests({ projectDir: join(FIX, "memcached"), project: project([res({})]), cache: false });
    expect(r.files.map((f) => f.path)).toEqual(["config/crd/bases/cache.example.com_memcacheds.yaml", "config/rbac/role.yaml"]);
    const crd = parse(r.files[0]!.content) as { metadata: { name: string; annotations: Record<string, string> }; spec: { versions: { subresources: unknown; schema: { openAPIV3Schema: { properties: { spec: { properties: { size: unknown } } } } } }[] } };
    expect(crd.metadata.name).toBe("memcacheds.cache.example.com");
    expect(crd.metadata.annotations["tsop.dev/version"]).toBeDefined();
    expect(crd.spec.versions[0]!.subresources).toEqual({ status: {} });
    expect(crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.size).toEqual({ description: "Number of memcached pods.", format: "int32", maximum: 5, minimum: 1, type: "integer" });
    expect(r.files[1]!.content).toBe(readFileSync(join(FIX, "memcached", "role.expected.yaml"), "utf8"));
  });

  test("reruns are byte-identical, with and without the cache", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsop-manifests-"));
    temps.push(dir);
    cpSync(join(FIX, "memcached"), dir, { recursive: true });
    const p = project([res({})]);
    const a = await generateManifests({ projectDir: dir, project: p, cache: false });
    const b = await generateManifests({ projectDir: dir, project: p });
    const c = await generateManifests({ projectDir: dir, project: p });
    expect(b.files).toEqual(a.files);
    expect(c.files).toEqual(a.files);
    expect(existsSync(join(tmpdir(), "tsop-cache"))).toBe(true);
    const file = join(dir, "src/api/cache/v1alpha1/memcached.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("@maximum 5", "@maximum 7"));
    const d = await generateManifests({ projectDir: dir, project: p });
    expect(d.files[0]!.content).toContain("maximum: 7");
  });

  test("a namespaced project gets a Role; external kinds get no CRD", async () => {
    const r = await generateManifests({ projectDir: join(FIX, "memcached"), project: project([res({}), res({ kind: "Certificate", plural: "certificates", group: "cert-manager", domain: "io", path: "nowhere.ts", crd: false })], true), cache: false });
    expect(r.files.map((f) => f.path)).toEqual(["config/crd/bases/cache.example.com_memcacheds.yaml", "config/rbac/role.yaml"]);
    const role = parse(r.files[1]!.content) as { kind: string; metadata: { name: string } };
    expect(role).toMatchObject({ kind: "Role", metadata: { name: "manager-role" } });
  });

  test("a bad tag throws UserErrors with the location and the description-length option trims", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsop-manifests-"));
    temps.push(dir);
    cpSync(join(FIX, "memcached"), dir, { recursive: true });
    const trimmed = await generateManifests({ projectDir: dir, project: project([res({})]), maxDescriptionLength: 0, cache: false });
    expect(trimmed.files[0]!.content).not.toContain("description:");
    const file = join(dir, "src/api/cache/v1alpha1/memcached.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("@maximum 5", "@maximun 5"));
    const err = await generateManifests({ projectDir: dir, project: project([res({})]), cache: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format()).toBe("src/api/cache/v1alpha1/memcached.ts:8:6: unknown tag @maximun (did you mean @maximum?)");
  });
});

test("the cache reuses unchanged versions and reconverts only what changed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tsop-manifests-"));
  temps.push(dir);
  cpSync(join(FIX, "multiversion"), dir, { recursive: true });
  const ship = (v: string): ProjectResource => res({ group: "ship", domain: "tsop.dev", kind: "Frigate", plural: "frigates", version: v, path: `src/api/ship/${v}/frigate.ts` });
  const p = project([ship("v1"), ship("v2")]);
  await generateManifests({ projectDir: dir, project: p });
  // Mark v1's cached schema, then edit only v2: the marker must survive (v1 was not reconverted).
  const file = cacheFile(dir);
  const stored = JSON.parse(readFileSync(file, "utf8")) as { versions: Record<string, { value: { schema: { description: string } } }> };
  stored.versions["src/api/ship/v1/frigate.ts#Frigate#v1"]!.value.schema.description = "MARKER";
  writeFileSync(file, JSON.stringify(stored));
  const v2 = join(dir, "src/api/ship/v2/frigate.ts");
  writeFileSync(v2, readFileSync(v2, "utf8").replace("@minimum 1", "@minimum 2"));
  const r = await generateManifests({ projectDir: dir, project: p });
  const crd = r.files[0]!.content;
  expect(crd).toContain("description: MARKER");
  expect(crd).toContain("minimum: 2");
  const fresh = await generateManifests({ projectDir: dir, project: p, cache: false });
  expect(fresh.files[0]!.content).toBe(crd.replace("description: MARKER", "description: Frigate v1 is the old version."));
});

describe("several versions of one kind", () => {
  const ship = (v: string): ProjectResource => res({ group: "ship", domain: "tsop.dev", kind: "Frigate", plural: "frigates", version: v, path: `src/api/ship/${v}/frigate.ts` });
  test("one CRD, sorted versions, exactly one storage version, deprecation", async () => {
    const r = await generateManifests({ projectDir: join(FIX, "multiversion"), project: project([ship("v2"), ship("v1")]), cache: false });
    expect(r.files.map((f) => f.path)).toEqual(["config/crd/bases/ship.tsop.dev_frigates.yaml", "config/rbac/role.yaml"]);
    const crd = parse(r.files[0]!.content) as { spec: { names: { shortNames: string[] }; versions: { name: string; storage: boolean; served: boolean; deprecated?: boolean; deprecationWarning?: string }[] } };
    expect(crd.spec.names.shortNames).toEqual(["fr"]);
    expect(crd.spec.versions.map((v) => [v.name, v.storage, v.served, v.deprecated ?? false])).toEqual([["v1", false, true, true], ["v2", true, true, false]]);
    expect(crd.spec.versions[0]!.deprecationWarning).toBe("ship.tsop.dev/v1 Frigate is deprecated");
  });
  test("two storage versions are an error", async () => {
    const err = await generateManifests({ projectDir: join(FIX, "multiversion"), project: project([ship("v1"), ship("v2"), ship("v3")]), cache: false }).catch((e: unknown) => e);
    expect((err as UserError).format()).toBe("src/api/ship/v3/frigate.ts:8:18: Frigate has 2 versions marked @storageVersion (v2, v3) (put @storageVersion on exactly one version's resource interface)");
  });
  test("no storage version is an error", async () => {
    const err = await generateManifests({ projectDir: join(FIX, "multiversion"), project: project([ship("v1"), res({ group: "ship", domain: "tsop.dev", kind: "Frigate", plural: "frigates", version: "v1beta1", path: "src/api/ship/v1/frigate.ts" })]), cache: false }).catch((e: unknown) => e);
    expect((err as UserError).format()).toBe("src/api/ship/v1/frigate.ts:13:18: Frigate has 2 versions but none is marked @storageVersion (put @storageVersion on exactly one version's resource interface)");
  });
});

test("role.yaml documents parse as YAML", async () => {
  const r = await generateManifests({ projectDir: join(FIX, "memcached"), project: project([res({})]), cache: false });
  expect(parseAllDocuments(r.files[1]!.content).length).toBe(1);
});
