import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProject } from "../../src/project/project-file.js";
import { buildTsop, runTsop } from "./built-cli.js";

// `init --force` in an existing project scaffolds it again but never resets what PROJECT records:
// its resources stay, and main.ts and the kustomizations list them again.

let tmp: string;
beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp(path.join(tmpdir(), "tsop-init-force-"));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function ok(dir: string, args: string[]): string {
  const r = runTsop(dir, args);
  expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe("tsop init --force in an existing project", () => {
  it("keeps PROJECT's resources and registers them again in main.ts and the kustomizations", async () => {
    const dir = path.join(tmp, "op");
    await mkdir(dir);
    ok(dir, ["init", "--domain", "example.com"]);
    ok(dir, ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"]);
    ok(dir, ["create", "api", "--group", "apps", "--version", "v1", "--kind", "Deployment", "--resource=false"]);
    ok(dir, ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--defaulting"]);
    const before = parseProject(await readFile(path.join(dir, "PROJECT"), "utf8"));
    expect(before.resources).toHaveLength(2);
    const mainBefore = await readFile(path.join(dir, "src/main.ts"), "utf8");
    const defaultBefore = await readFile(path.join(dir, "config/default/kustomization.yaml"), "utf8");
    await writeFile(path.join(dir, "src/main.ts"), mainBefore + "// a user edit init --force overwrites\n");

    ok(dir, ["init", "--domain", "example.com", "--force"]);
    const after = parseProject(await readFile(path.join(dir, "PROJECT"), "utf8"));
    expect(after.resources).toEqual(before.resources);
    const main = await readFile(path.join(dir, "src/main.ts"), "utf8");
    expect(main).not.toContain("a user edit");
    for (const s of ["new MemcachedReconciler()", "new DeploymentReconciler()", 'from "./controllers/memcached.controller.js"', "memcachedWebhook", 'from "./webhooks/cache/v1alpha1/memcached.webhook.js"']) expect(main).toContain(s);
    expect(await readFile(path.join(dir, "config/crd/kustomization.yaml"), "utf8")).toContain("bases/cache.example.com_memcacheds.yaml");
    expect(await readFile(path.join(dir, "config/samples/kustomization.yaml"), "utf8")).toContain("cache_v1alpha1_memcached.yaml");
    expect(await readFile(path.join(dir, "config/rbac/kustomization.yaml"), "utf8")).toContain("memcached_editor_role.yaml");
    expect(await readFile(path.join(dir, "config/default/kustomization.yaml"), "utf8")).toBe(defaultBefore); // webhook patches enabled again
    // A second run changes nothing, and the project still generates its manifests.
    ok(dir, ["init", "--domain", "example.com", "--force"]);
    expect(await readFile(path.join(dir, "src/main.ts"), "utf8")).toBe(main);
    ok(dir, ["manifests"]);
    expect(await readFile(path.join(dir, "config/rbac/role.yaml"), "utf8")).toContain("deployments");
  });

  it("refuses a corrupt PROJECT instead of replacing it with an empty one", async () => {
    const dir = path.join(tmp, "corrupt");
    await mkdir(dir);
    ok(dir, ["init", "--domain", "example.com"]);
    await writeFile(path.join(dir, "PROJECT"), "layout: [\n");
    const r = runTsop(dir, ["init", "--domain", "example.com", "--force"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: PROJECT:\d+: PROJECT is not a valid tsop project file: YAML syntax error/);
    expect(await readFile(path.join(dir, "PROJECT"), "utf8")).toBe("layout: [\n");
  });
});
