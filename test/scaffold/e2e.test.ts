import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { buildTsop, repoRoot, runTsop } from "../cli/built-cli.js";
import { installTypecheckLintBuild, sh } from "./project-commands.js";
import { RunningTsop } from "./running-tsop.js";

// End to end: scaffold a project with the built CLI (init + a namespaced and a cluster-scoped API,
// a controller for an external kind, one for a built-in kind + manifests), install it (tsop vendored from this checkout), type-check, bundle, and run the
// generated project's own tests (which start a real kube-apiserver + etcd through tsop/envtest).


/** Polls the object's Available condition until it is `want` (the scaffolded reconciler reports Unknown: it checks nothing yet). */
async function pollCondition(dir: string, kubeconfig: string, kind: string, name: string, namespaced: boolean, want = "Unknown"): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ns = namespaced ? ["-n", "default"] : [];
    const r = spawnSync("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "get", kind, name, ...ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Available\")].status}"], { cwd: dir, encoding: "utf8" });
    if (r.status === 0 && r.stdout === want) return r.stdout;
    if (Date.now() > deadline) return `${r.stdout} ${r.stderr}`;
    await new Promise((res) => setTimeout(res, 250));
  }
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
      ["create", "api", "--external", "--from-crd", path.join(repoRoot, "test/cli/fixtures/widgets.crd.yaml")],
      ["create", "api", "--group", "apps", "--version", "v1", "--kind", "Deployment", "--resource=false"],
      ["manifests"],
    ];
    for (const args of steps) {
      const r = runTsop(dir, args);
      expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    // tsop runs from this checkout: init vendors a packed copy, so the project needs nothing outside it
    const version = (JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
    expect(pkg.dependencies["tsop"]).toBe(`file:vendor/tsop-${version}.tgz`);
    expect(existsSync(path.join(dir, `vendor/tsop-${version}.tgz`))).toBe(true);
    for (const f of ["config/crd/bases/cache.example.com_memcacheds.yaml", "config/crd/bases/infra.example.com_clusters.yaml", "config/rbac/role.yaml"]) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    const role = await readFile(path.join(dir, "config/rbac/role.yaml"), "utf8");
    expect(role).toContain("memcacheds/status");
    expect(role).toContain("clusters/finalizers");
    expect(role).toContain("parts.acme.io"); // the external kind's controller needs RBAC too
    expect(existsSync(path.join(dir, "config/crd/bases/parts.acme.io_widgets.yaml"))).toBe(false); // but no CRD
    expect(role).toMatch(/- apps\n  resources:\n  - deployments\n/); // the built-in kind's controller: RBAC, no CRD
    expect(existsSync(path.join(dir, "config/crd/bases/apps_deployments.yaml"))).toBe(false);
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

  it("installs, type-checks, lints and bundles", () => {
    installTypecheckLintBuild(dir);
  }, 600_000); // npm install of the vendored tsop tarball plus tsc: took 124 s once on a loaded machine

  it("passes its own tests against a local control plane", () => {
    const out = sh(dir, "npm", ["test"], 900_000);
    // eslint-disable-next-line no-control-regex
    expect(out.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/Tests +4 passed \(4\)/);
  }, 900_000); // four test files, each starting a control plane: on a loaded machine over the default 120 s

  it("tsop run --watch installs the CRDs (server-side apply), reconciles, and restarts on change", async () => {
    const env = new Environment();
    const started = await env.start();
    const run = new RunningTsop(dir, ["--watch", "--kubeconfig", started.kubeconfigPath, "--", "--health-probe-bind-address=0", "--metrics-bind-address=0"]);
    try {
      await run.waitFor("applied CustomResourceDefinition memcacheds.cache.example.com");
      await run.waitFor("Starting workers", 3);
      sh(dir, "/usr/bin/kubectl", ["--kubeconfig", started.kubeconfigPath, "apply", "-n", "default", "-f", "config/samples/cache_v1alpha1_memcached.yaml"]);
      sh(dir, "/usr/bin/kubectl", ["--kubeconfig", started.kubeconfigPath, "apply", "-f", "config/samples/infra_v1_cluster.yaml"]);
      expect(await pollCondition(dir, started.kubeconfigPath, "memcached", "memcached-sample", true)).toBe("Unknown");
      expect(await pollCondition(dir, started.kubeconfigPath, "cluster", "cluster-sample", false)).toBe("Unknown");

      const { appendFile } = await import("node:fs/promises");
      await appendFile(path.join(dir, "src/main.ts"), "// touched by the e2e test\n");
      await run.waitFor("change detected: rebuilding");
      await run.waitFor("Starting workers", 6);
      expect(await run.interrupt()).toBe(0);
    } finally {
      await run.interrupt();
      await env.stop();
    }
  });

  it("tsop run --local runs the operator against a local control plane and cleans it up on Ctrl-C", async () => {
    const run = new RunningTsop(dir, ["--local", "--", "--health-probe-bind-address=0", "--metrics-bind-address=0"]);
    try {
      // Four controllers: the two owned kinds, the built-in Deployment and the external Widget, whose CRD (test/crds) the
      // local control plane installs too, so its informer syncs and its workers start.
      await run.waitFor("Starting workers", 4, 300_000);
      const kubeconfig = /kubeconfig (\S+)/.exec(run.output)?.[1];
      expect(kubeconfig, run.output).toBeDefined();
      expect(sh(dir, "/usr/bin/kubectl", ["--kubeconfig", kubeconfig!, "get", "crd", "widgets.parts.acme.io", "-o", "name"]).trim()).toBe("customresourcedefinition.apiextensions.k8s.io/widgets.parts.acme.io");
      sh(dir, "/usr/bin/kubectl", ["--kubeconfig", kubeconfig!, "apply", "-n", "default", "-f", "config/samples/cache_v1alpha1_memcached.yaml"]);
      expect(await pollCondition(dir, kubeconfig!, "memcached", "memcached-sample", true)).toBe("Unknown");
      expect(await run.interrupt()).toBe(0);
      expect(existsSync(kubeconfig!)).toBe(false);
    } finally {
      await run.interrupt();
    }
  });
});
