import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { buildTsop, repoRoot, runTsop } from "../cli/built-cli.js";

// The ship path on a real apiserver (tsop/envtest with the namespace and garbage-collector
// controllers), for a cluster-scoped project and an `init --namespaced` one: install, deploy,
// undeploy, uninstall (objects appear and go away, re-runs change nothing); the operator bundle run
// with only its generated ServiceAccount's token reconciles the sample with no 403 and a clean RBAC
// self-check, and the self-check names a rule taken away; the manager's Pod passes restricted Pod
// Security admission; dist/install.yaml applies server-side to a fresh control plane.

const KUBECTL = "/usr/bin/kubectl";
const IMG = "quay.io/acme/op:v0.1.0";

interface Obj { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> }

let tmp: string;
let env: Environment;
let started: StartedEnvironment;

function kubectl(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(KUBECTL, ["--kubeconfig", started.kubeconfigPath, ...args], { encoding: "utf8", input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tsop(dir: string, args: string[]): string {
  const r = runTsop(dir, [...args, "--kubeconfig", started.kubeconfigPath]);
  expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** `kind/namespace/name -> resourceVersion` of the objects the cluster has of `file` (absent ones left out). */
function versions(file: string): Map<string, string> {
  const r = kubectl(["get", "-f", file, "--ignore-not-found", "-o", "json"]);
  expect(r.code, r.stderr).toBe(0);
  if (r.stdout.trim() === "") return new Map();
  // One object comes back as itself, several as a List.
  const got = JSON.parse(r.stdout) as Obj & { items?: Obj[] };
  return new Map((got.items ?? [got]).map((o) => [`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`, o.metadata.resourceVersion ?? ""]));
}

function yamlObjects(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((o) => o !== null);
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The operator bundle (like the generated `npm run build`), with tsop linked as `npm install` would. */
async function bundleOperator(dir: string): Promise<string> {
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  symlinkSync(repoRoot, path.join(dir, "node_modules/tsop"));
  const outfile = path.join(dir, "dist/main.js");
  await build({
    absWorkingDir: dir, entryPoints: ["src/main.ts"], bundle: true, platform: "node", format: "esm", target: "node20", outfile, logLevel: "error",
    banner: { js: "import { createRequire as __tsopCreateRequire } from 'node:module'; const require = __tsopCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** A kubeconfig with only the ServiceAccount's token (TokenRequest), nothing of the admin's. */
function serviceAccountKubeconfig(namespace: string, sa: string, file: string): void {
  const token = kubectl(["create", "token", sa, "-n", namespace, "--duration", "1h"]);
  expect(token.code, token.stderr).toBe(0);
  writeFileSync(file, [
    "apiVersion: v1", "kind: Config", "current-context: sa",
    "clusters:", "- name: c", "  cluster:", `    server: ${started.server}`, `    certificate-authority-data: ${Buffer.from(started.tls.ca).toString("base64")}`,
    "users:", "- name: sa", "  user:", `    token: ${token.stdout.trim()}`,
    "contexts:", "- name: sa", "  context: {cluster: c, user: sa, namespace: " + namespace + "}", "",
  ].join("\n"));
}

/** The operator bundle running as the ServiceAccount, its log collected. */
class Operator {
  readonly child: ChildProcess;
  log = "";
  constructor(bundle: string, kubeconfig: string, namespace: string, watchNamespace: string | undefined) {
    const args = ["--kubeconfig", kubeconfig, "--leader-elect", "--leader-election-namespace", namespace, "--health-probe-bind-address=0", "--metrics-bind-address=0", "--log-level", "debug"];
    const childEnv: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: "" };
    if (watchNamespace) childEnv["WATCH_NAMESPACE"] = watchNamespace;
    else delete childEnv["WATCH_NAMESPACE"];
    this.child = spawn(process.execPath, [bundle, ...args], { cwd: path.dirname(path.dirname(bundle)), env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d: Buffer) => (this.log += d.toString()));
    this.child.stderr!.on("data", (d: Buffer) => (this.log += d.toString()));
  }
  async waitFor(text: string | RegExp, timeoutMs = 60_000): Promise<void> {
    const has = (): boolean => (typeof text === "string" ? this.log.includes(text) : text.test(this.log));
    await until(`operator log ${String(text)}:\n${this.log}`, () => {
      if (this.child.exitCode !== null && !has()) throw new Error(`the operator exited (${this.child.exitCode}):\n${this.log}`);
      return has();
    }, timeoutMs);
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const done = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGTERM");
    await done;
  }
}

beforeAll(async () => {
  await buildTsop();
  expect(spawnSync(KUBECTL, ["version", "--client"]).status, "kubectl is needed at /usr/bin/kubectl").toBe(0);
  tmp = mkdtempSync(path.join(tmpdir(), "tsop-deploy-"));
  // Only these two: a Deployment controller would write the manager Deployment's status and
  // revision annotation at its own pace, and "a re-run changes nothing" compares resourceVersions.
  env = new Environment({ withControllers: ["namespace", "garbage-collector"] });
  started = await env.start();
}, 300_000);

afterAll(async () => {
  await env?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.each([
  { name: "cluster-op", namespaced: false, init: "init" },
  { name: "ns-op", namespaced: true, init: "init --namespaced" },
])("$name ($init): the ship path on a real apiserver", ({ name, namespaced }) => {
  const ns = `${name}-system`;
  const sa = `${name}-controller-manager`;
  const crd = "memcacheds.cache.example.com";
  let dir: string;
  let deployed: Obj[];
  let installer: string;

  beforeAll(() => {
    dir = path.join(tmp, name);
    mkdirSync(dir);
    for (const args of [
      ["init", "--domain", "example.com", "--project-name", name, ...(namespaced ? ["--namespaced"] : [])],
      ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
      ["manifests"],
      ["build-installer", "--img", IMG],
    ]) {
      const r = runTsop(dir, args);
      expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    installer = path.join(dir, "dist/install.yaml");
    deployed = yamlObjects(readFileSync(installer, "utf8"));
  }, 120_000);

  it("install applies the CRD until Established; a re-run changes nothing", () => {
    expect(tsop(dir, ["install"])).toContain(`applied CustomResourceDefinition ${crd}`);
    expect(kubectl(["get", "crd", crd, "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"]).stdout).toBe("True");
    const managers = kubectl(["get", "crd", crd, "-o", "jsonpath={.metadata.managedFields[*].manager}"]).stdout;
    expect(managers.split(" ")).toContain("tsop");
    const crdFile = path.join(dir, "config/crd/bases/cache.example.com_memcacheds.yaml");
    const before = versions(crdFile);
    expect(before.size).toBe(1);
    tsop(dir, ["install"]);
    expect(versions(crdFile)).toEqual(before);
  });

  it("deploy applies config/default with the image, in dependency order; a re-run changes nothing", () => {
    const out = tsop(dir, ["deploy", "--img", IMG]);
    const applied = [...out.matchAll(/^applied (\S+)/gm)].map((m) => m[1]);
    expect(applied[0]).toBe("Namespace");
    expect(applied.indexOf("CustomResourceDefinition")).toBeLessThan(applied.indexOf("ServiceAccount"));
    expect(applied.lastIndexOf("ClusterRoleBinding")).toBeLessThan(applied.indexOf("Deployment"));
    const before = versions(installer);
    expect([...before.keys()].sort()).toEqual(deployed.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`).sort());
    expect(kubectl(["get", "deploy", `${name}-controller-manager`, "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}"]).stdout).toBe(IMG);
    expect(kubectl(["get", namespaced ? "role" : "clusterrole", ...(namespaced ? ["-n", ns] : []), `${name}-manager-role`, "-o", "name"]).code).toBe(0);
    tsop(dir, ["deploy", "--img", IMG]);
    expect(versions(installer)).toEqual(before);
  });

  it("RBAC is exactly enough: the bundle, with only the ServiceAccount's token, reconciles the sample with no 403; the self-check names a rule taken away", async () => {
    const bundle = await bundleOperator(dir);
    const kc = path.join(dir, "sa.kubeconfig");
    serviceAccountKubeconfig(ns, sa, kc);
    // The token really is the ServiceAccount's, with no more rights than it was given.
    expect(spawnSync(KUBECTL, ["--kubeconfig", kc, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], { encoding: "utf8" }).stdout).toBe(`system:serviceaccount:${ns}:${sa}`);
    expect(spawnSync(KUBECTL, ["--kubeconfig", kc, "auth", "can-i", "create", "customresourcedefinitions"], { encoding: "utf8" }).stdout.trim()).toBe("no");

    const sampleNs = namespaced ? ns : "default";
    let op = new Operator(bundle, kc, ns, namespaced ? ns : undefined);
    try {
      await op.waitFor("RBAC self-check passed");
      const sample = kubectl(["apply", "-n", sampleNs, "-f", path.join(dir, "config/samples/cache_v1alpha1_memcached.yaml")]);
      expect(sample.code, sample.stderr).toBe(0);
      // The scaffolded reconciler writes its status (Available Unknown/NotImplemented until the user's
      // logic checks something) and observedGeneration: reading, watching and the status write all passed.
      const reported = (): string => kubectl(["get", "memcached", "memcached-sample", "-n", sampleNs, "-o", "jsonpath={.status.observedGeneration}/{.status.conditions[?(@.type==\"Available\")].reason}"]).stdout;
      await until(`memcached-sample reconciled\n${op.log}`, () => reported() === "1/NotImplemented");
      await op.stop();
      expect(op.log).not.toMatch(/\b403\b|forbidden/i);
      expect(op.log).not.toContain("lacks");

      // Take the rule for memcacheds away from the generated role: the self-check names it.
      const roleArgs = namespaced ? ["role", "-n", ns] : ["clusterrole"];
      const role = JSON.parse(kubectl(["get", ...roleArgs, `${name}-manager-role`, "-o", "json"]).stdout) as { rules: { resources?: string[] }[] };
      role.rules = role.rules.filter((r) => !(r.resources ?? []).includes("memcacheds"));
      expect(kubectl(["replace", "-f", "-"], JSON.stringify(role)).code).toBe(0);
      op = new Operator(bundle, kc, ns, namespaced ? ns : undefined);
      await op.waitFor("permission(s) its controllers need");
      expect(op.log).toMatch(new RegExp(`list memcacheds\\.cache\\.example\\.com ${namespaced ? `in namespace ${ns}` : "\\(all namespaces\\)"}`));
      expect(op.log).toMatch(/watch memcacheds\.cache\.example\.com/);
      expect(op.log).not.toMatch(/lacks[^\n]*events/);
    } finally {
      await op.stop();
    }
    // A re-deploy puts the rule back (the role is the apply's again).
    tsop(dir, ["deploy", "--img", IMG]);
    expect(kubectl(["get", ...(namespaced ? ["role", "-n", ns] : ["clusterrole"]), `${name}-manager-role`, "-o", "json"]).stdout).toContain('"memcacheds"');
  }, 180_000);

  it("the manager's Pod passes restricted Pod Security admission (server-side dry run), and a privileged one does not", () => {
    const restricted = `${name}-restricted`;
    const nsObj = { apiVersion: "v1", kind: "Namespace", metadata: { name: restricted, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } } };
    expect(kubectl(["apply", "--server-side", "-f", "-"], JSON.stringify(nsObj)).code).toBe(0);
    const deployment = deployed.find((o) => o.kind === "Deployment")!;
    const template = (deployment.spec as { template: { metadata: Obj["metadata"]; spec: { containers: { securityContext?: Record<string, unknown> }[] } } }).template;
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "manager", namespace: restricted, labels: template.metadata.labels }, spec: template.spec };
    const ok = kubectl(["create", "--dry-run=server", "-f", "-"], JSON.stringify(pod));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).not.toMatch(/violate|warning/i);
    // The admission is really on: the same Pod made privileged is refused.
    const bad = structuredClone(pod);
    bad.spec.containers[0]!.securityContext = { ...bad.spec.containers[0]!.securityContext, privileged: true, allowPrivilegeEscalation: true };
    const refused = kubectl(["create", "--dry-run=server", "-f", "-"], JSON.stringify(bad));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  it("undeploy deletes what deploy applied and waits until it is gone; a re-run is a no-op", () => {
    expect(kubectl(["delete", "memcached", "--all", "-A", "--wait=true"]).code).toBe(0);
    const out = tsop(dir, ["undeploy"]);
    const deleted = [...out.matchAll(/^deleted (\S+)/gm)].map((m) => m[1]);
    expect(deleted[0]).toBe("Deployment"); // reverse of apply order: the manager first, the Namespace last
    expect(deleted.at(-1)).toBe("Namespace");
    expect(versions(installer).size).toBe(0);
    const again = tsop(dir, ["undeploy"]);
    expect(again).not.toMatch(/^deleted/m);
  }, 180_000);

  it("uninstall deletes the CRD and waits until it is gone; a re-run is refused unless --ignore-not-found", () => {
    tsop(dir, ["install"]);
    expect(tsop(dir, ["uninstall"])).toContain(`deleted CustomResourceDefinition ${crd}`);
    expect(kubectl(["get", "crd", crd]).code).not.toBe(0);
    const again = runTsop(dir, ["uninstall", "--kubeconfig", started.kubeconfigPath]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: CRD not installed: ${crd} (nothing to uninstall there; pass --ignore-not-found to treat that as success)\n`);
    expect(tsop(dir, ["uninstall", "--ignore-not-found"])).not.toContain("deleted");
  }, 300_000);
});

describe("dist/install.yaml", () => {
  it("is deterministic, Namespace and CRDs first, and applies cleanly (server-side) to a fresh control plane", async () => {
    const dir = path.join(tmp, "cluster-op");
    const first = readFileSync(path.join(dir, "dist/install.yaml"), "utf8");
    expect(runTsop(dir, ["build-installer", "--img", IMG]).code).toBe(0);
    expect(readFileSync(path.join(dir, "dist/install.yaml"), "utf8")).toBe(first);
    const kinds = yamlObjects(first).map((o) => o.kind);
    expect(kinds.slice(0, 2)).toEqual(["Namespace", "CustomResourceDefinition"]);
    expect(kinds.at(-1)).toBe("Deployment");

    const fresh = new Environment();
    const plane = await fresh.start();
    try {
      const r = spawnSync(KUBECTL, ["--kubeconfig", plane.kubeconfigPath, "apply", "--server-side", "-f", path.join(dir, "dist/install.yaml")], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout.trim().split("\n")).toHaveLength(kinds.length);
      const image = spawnSync(KUBECTL, ["--kubeconfig", plane.kubeconfigPath, "get", "deploy", "-n", "cluster-op-system", "cluster-op-controller-manager", "-o", "jsonpath={.spec.template.spec.containers[0].image}"], { encoding: "utf8" });
      expect(image.stdout).toBe(IMG);
    } finally {
      await fresh.stop();
    }
  }, 180_000);
});
