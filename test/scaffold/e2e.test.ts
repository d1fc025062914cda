import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTsop, repoRoot, runTsop } from "../cli/built-cli.js";

// End to end: scaffold a project with the built CLI (init + a namespaced and a cluster-scoped API
// + manifests), install it against this checkout (file:), type-check, bundle, and run the
// generated project's own tests (which start a real kube-apiserver + etcd through tsop/envtest).

function sh(cwd: string, cmd: string, args: string[], timeoutMs = 600_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: "false" } });
  const out = `$ ${cmd} ${args.join(" ")} (exit ${r.status})\n${r.stdout}\n${r.stderr}`;
  expect(r.status, out).toBe(0);
  return r.stdout;
}

describe("scaffolded project, end to end", () => {
  let tmp: string;
  let dir: string;

  beforeAll(async () => {
    await buildTsop();
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-e2e-"));
    dir = path.join(tmp, "memcached-operator");
    await import("node:fs/promises").then((f) => f.mkdir(dir));
  });
  afterAll(async () => {
    if (tmp && process.env["TSOP_KEEP_E2E"] !== "1") await rm(tmp, { recursive: true, force: true });
  });

  it("scaffolds with init, two create api and manifests", async () => {
    const steps = [
      ["init", "--domain", "example.com", "--repo", "github.com/example/memcached-operator"],
      ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
      ["create", "api", "--group", "infra", "--version", "v1", "--kind", "Cluster", "--namespaced=false"],
      ["manifests"],
    ];
    for (const args of steps) {
      const r = runTsop(dir, args);
      expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies["tsop"]).toBe(`file:${repoRoot}`);
    for (const f of ["config/crd/bases/cache.example.com_memcacheds.yaml", "config/crd/bases/infra.example.com_clusters.yaml", "config/rbac/role.yaml"]) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    const role = await readFile(path.join(dir, "config/rbac/role.yaml"), "utf8");
    expect(role).toContain("memcacheds/status");
    expect(role).toContain("clusters/finalizers");
  });

  it("manifests are deterministic and --check passes, then fails on a stale file", async () => {
    const crd = path.join(dir, "config/crd/bases/cache.example.com_memcacheds.yaml");
    const before = await readFile(crd, "utf8");
    const mtime = (await stat(crd)).mtimeMs;
    expect(runTsop(dir, ["manifests"]).code).toBe(0);
    expect(await readFile(crd, "utf8")).toBe(before);
    expect((await stat(crd)).mtimeMs).toBe(mtime); // unchanged files are not rewritten
    expect(runTsop(dir, ["manifests", "--check"]).code).toBe(0);

    const { writeFile } = await import("node:fs/promises");
    await writeFile(crd, before + "# stale\n");
    const r = runTsop(dir, ["manifests", "--check"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: out of date: config/crd/bases/cache.example.com_memcacheds.yaml (run tsop manifests and commit the result)\n");
    expect(await readFile(crd, "utf8")).toBe(before + "# stale\n");
    expect(runTsop(dir, ["manifests"]).code).toBe(0);
    expect(await readFile(crd, "utf8")).toBe(before);
  });

  it("renders with kubectl kustomize", () => {
    const out = sh(dir, "/usr/bin/kubectl", ["kustomize", "config/default"]);
    expect(out).toContain("kind: CustomResourceDefinition");
    expect(out).toContain("name: memcacheds.cache.example.com");
    expect(out).toContain("namespace: memcached-operator-system");
  });

  it("installs, type-checks and bundles", () => {
    sh(dir, "npm", ["install", "--no-audit", "--no-fund"]);
    sh(dir, "npx", ["tsc", "--noEmit"]);
    sh(dir, "npm", ["run", "build"]);
    expect(existsSync(path.join(dir, "dist/main.js"))).toBe(true);
  });

  it("passes its own tests against a local control plane", () => {
    const out = sh(dir, "npm", ["test"], 900_000);
    expect(out).toMatch(/2 passed/);
  });
});
