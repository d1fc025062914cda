import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTsop, runTsop } from "../cli/built-cli.js";
import { installTypecheckLintBuild, sh } from "./project-commands.js";
import { RunningTsop } from "./running-tsop.js";

// End to end with webhooks: scaffold a kind with two versions and all three webhooks (v1 the hub)
// and a defaulting webhook for core/v1 Pods with the built CLI, generate the manifests, render the
// kustomize tree, install (tsop vendored from this checkout), type-check, bundle, and run the
// generated project's own tests: its webhook tests start a real kube-apiserver that calls them.


describe("scaffolded project with webhooks, end to end", () => {
  let tmp: string;
  let dir: string;
  const tsop = (...args: string[]): string => {
    const r = runTsop(dir, args);
    expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    await buildTsop();
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-webhook-e2e-"));
    dir = path.join(tmp, "shop-operator");
    await mkdir(dir);
  });
  afterAll(async () => {
    if (tmp && process.env["TSOP_KEEP_E2E"] !== "1") await rm(tmp, { recursive: true, force: true });
  });

  it("scaffolds defaulting, validation and conversion webhooks and a Pod webhook; main.ts edits are idempotent", async () => {
    tsop("init", "--domain", "example.com", "--repo", "github.com/example/shop-operator");
    tsop("create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached");
    tsop("create", "api", "--group", "cache", "--version", "v2", "--kind", "Memcached", "--controller=false");
    const hub = path.join(dir, "src/api/cache/v1/memcached.ts");
    await writeFile(hub, (await readFile(hub, "utf8")).replace(" * @subresource status\n", " * @subresource status\n * @storageVersion\n"));
    tsop("create", "webhook", "--group", "cache", "--version", "v1", "--kind", "Memcached", "--defaulting", "--programmatic-validation", "--conversion");
    tsop("create", "webhook", "--group", "core", "--version", "v1", "--kind", "Pod", "--defaulting");
    const main = await readFile(path.join(dir, "src/main.ts"), "utf8");
    tsop("create", "webhook", "--group", "core", "--version", "v1", "--kind", "Pod", "--defaulting", "--force");
    expect(await readFile(path.join(dir, "src/main.ts"), "utf8")).toBe(main);
    expect(main.match(/^  (memcachedWebhook|memcachedConversion|podWebhook),$/gm)).toEqual(["  memcachedWebhook,", "  memcachedConversion,", "  podWebhook,"]);
    const project = await readFile(path.join(dir, "PROJECT"), "utf8");
    expect(project).toContain("    webhooks:\n      conversion: true\n      defaulting: true\n      spoke:\n        - v2\n      validation: true\n      webhookVersion: v1\n");
    expect(project).toContain("  - group: core\n");
  });

  it("generates deterministic manifests: webhook configurations and the CRD's Webhook conversion", async () => {
    tsop("manifests");
    const hooks = await readFile(path.join(dir, "config/webhook/manifests.yaml"), "utf8");
    expect(hooks).toContain("path: /mutate--v1-pod");
    expect(hooks).toContain("name: mmemcached-v1.kb.io");
    expect(hooks).toContain("name: vmemcached-v1.kb.io");
    const crd = await readFile(path.join(dir, "config/crd/bases/cache.example.com_memcacheds.yaml"), "utf8");
    expect(crd).toContain("  conversion:\n    strategy: Webhook\n");
    tsop("manifests", "--check");
  });

  it("renders with kubectl kustomize: CA injected, Services named for the Certificates, conversion pointed at the webhook Service", () => {
    const out = sh(dir, "/usr/bin/kubectl", ["kustomize", "config/default"]);
    expect(out.match(/cert-manager\.io\/inject-ca-from: shop-operator-system\/shop-operator-serving-cert/g)).toHaveLength(3);
    expect(out).toContain("- shop-operator-webhook-service.shop-operator-system.svc\n");
    expect(out).toContain("- --webhook-cert-path=/tmp/k8s-webhook-server/serving-certs\n");
    expect(out).toMatch(/conversion:\n\s+strategy: Webhook\n\s+webhook:\n\s+clientConfig:\n\s+service:\n\s+name: shop-operator-webhook-service\n\s+namespace: shop-operator-system\n\s+path: \/convert/);
    expect(out).toContain("kind: Issuer");
  });

  it("installs, type-checks, lints and bundles", () => {
    installTypecheckLintBuild(dir);
  }, 900_000);

  it("passes its own tests: the webhooks are called by a real apiserver (conversion read at v2 included)", () => {
    const out = sh(dir, "npm", ["test"], 900_000);
    // eslint-disable-next-line no-control-regex
    const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
    expect(plain).toMatch(/Tests +3 passed \(3\)/);
    expect(plain).toContain("test/pod.webhook.test.ts");
    expect(plain).toContain("test/memcached.webhook.test.ts");
  }, 900_000);

  it("tsop run --local installs the webhooks and the operator serves them (admission and conversion)", async () => {
    const run = new RunningTsop(dir, ["--local", "--", "--health-probe-bind-address=0", "--metrics-bind-address=0"]);
    try {
      await run.waitFor("webhooks installed", 1, 300_000);
      await run.waitFor("serving webhooks", 1, 120_000);
      const kubeconfig = /kubeconfig (\S+)/.exec(run.output)?.[1];
      expect(kubeconfig, run.output).toBeDefined();
      const kubectl = (...args: string[]): string => sh(dir, "/usr/bin/kubectl", ["--kubeconfig", kubeconfig!, ...args]);
      // failurePolicy Fail: the create succeeds only if the operator's mutating and validating webhooks answer.
      await writeFile(path.join(dir, "v2.yaml"), "apiVersion: cache.example.com/v2\nkind: Memcached\nmetadata:\n  name: via-v2\n  namespace: default\nspec:\n  foo: bar\n");
      kubectl("apply", "-f", "v2.yaml");
      // Stored at v1 (the hub), read at v2 and v1: both go through the operator's /convert.
      expect(kubectl("get", "memcacheds.v2.cache.example.com", "via-v2", "-n", "default", "-o", "jsonpath={.apiVersion} {.spec.foo}")).toBe("cache.example.com/v2 bar");
      expect(kubectl("get", "memcacheds.v1.cache.example.com", "via-v2", "-n", "default", "-o", "jsonpath={.apiVersion} {.spec.foo}")).toBe("cache.example.com/v1 bar");
      expect(await run.interrupt()).toBe(0);
    } finally {
      await run.interrupt();
    }
  }, 600_000);
});
