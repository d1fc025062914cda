import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHelm } from "../../src/deploy/helm-chart.js";
import { findHelm } from "../../src/deploy/helm-bin.js";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { buildTsop, runTsop } from "../cli/built-cli.js";

// `tsop helm`: a scaffolded project's chart, checked by the real helm (built with Go into tsop's
// cache when not on PATH): helm lint, helm template, and the rendered objects applied server-side
// to a real kube-apiserver.

/** The cert-manager release whose CRDs the webhook chart's Issuer and Certificates are checked against. */
const CERT_MANAGER_VERSION = "v1.21.2";

let tmp: string;
let dir: string;
let helm: string;

function ok(args: string[]): string {
  const r = runTsop(dir, args);
  expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", input, timeout: 300_000 });
  expect(r.status, `$ ${cmd} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function tree(rel: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true, recursive: true })) {
    if (e.isFile()) { const p = path.join(e.parentPath, e.name); out.set(path.relative(dir, p), await readFile(p, "utf8")); }
  }
  return out;
}

beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp(path.join(tmpdir(), "tsop-helm-"));
  dir = path.join(tmp, "memcached-operator");
  await mkdir(dir);
  helm = await findHelm(process.env, (l) => process.stderr.write(`${l}\n`));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("tsop helm", () => {
  it("refuses before tsop manifests and a bad --version, writing nothing", () => {
    ok(["init", "--domain", "example.com"]);
    ok(["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"]);
    let r = runTsop(dir, ["helm"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: the CRD file is missing: config/crd/bases/cache.example.com_memcacheds.yaml (run tsop manifests first)\n");
    ok(["manifests"]);
    r = runTsop(dir, ["helm", "--version", "v1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: --version v1 is not a semantic version (Helm chart versions look like 0.1.0 or 1.2.3-rc.1)\n");
    expect(spawnSync("test", ["-e", path.join(dir, "dist/chart")]).status).toBe(1);
  });

  it("writes dist/chart deterministically and keeps the user's values.yaml, adding new keys", async () => {
    ok(["helm"]);
    const first = await tree("dist/chart");
    expect([...first.keys()]).toContain("dist/chart/templates/crd/customresourcedefinition-memcacheds.cache.example.com.yaml");
    expect(first.get("dist/chart/templates/manager/deployment-memcached-operator-controller-manager.yaml")).toContain("replicas: {{ .Values.manager.replicas }}");
    expect(ok(["helm"])).toMatch(/^unchanged dist\/chart\n/);
    expect(await tree("dist/chart")).toEqual(first);

    const values = path.join(dir, "dist/chart/values.yaml");
    const edited = first.get("dist/chart/values.yaml")!.replace("replicas: 1", "replicas: 3 # mine").replace(/networkPolicy:\n  enable: false\n/, "");
    expect(edited).not.toContain("networkPolicy");
    await writeFile(values, edited);
    ok(["helm"]);
    const merged = await readFile(values, "utf8");
    expect(merged).toContain("replicas: 3 # mine");
    expect(merged).toMatch(/networkPolicy:\n  enable: false\n/);
  });

  it("passes helm lint, and helm template's objects are accepted by a real kube-apiserver", async () => {
    const lint = run(helm, ["lint", "dist/chart"]);
    expect(lint).toContain("1 chart(s) linted, 0 chart(s) failed");
    const rendered = run(helm, ["template", "op", "dist/chart", "--namespace", "op-system", "--set", "networkPolicy.enable=true", "--set", "manager.image.repository=example.com/op", "--set", "manager.image.tag=v1"]);
    expect(rendered).toContain("image: \"example.com/op:v1\"");
    expect(rendered).toContain("replicas: 3");
    expect(rendered).toContain("kind: NetworkPolicy");
    expect(rendered).not.toContain("{{");
    const env = new Environment();
    let started: StartedEnvironment | undefined;
    try {
      started = await env.start();
      const kc = ["--kubeconfig", started.kubeconfigPath];
      run("/usr/bin/kubectl", [...kc, "create", "namespace", "op-system"]);
      const applied = run("/usr/bin/kubectl", [...kc, "apply", "--server-side", "-f", "-"], rendered);
      for (const o of ["customresourcedefinition.apiextensions.k8s.io/memcacheds.cache.example.com", "deployment.apps/memcached-operator-controller-manager", "clusterrole.rbac.authorization.k8s.io/memcached-operator-manager-role", "networkpolicy.networking.k8s.io/memcached-operator-allow-metrics-traffic"]) {
        expect(applied).toContain(`${o} serverside-applied`);
      }
      expect(run("/usr/bin/kubectl", [...kc, "get", "deployment", "-n", "op-system", "memcached-operator-controller-manager", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"])).toBe("3 example.com/op:v1");
    } finally {
      await env.stop();
    }
  });
});

describe("tsop helm for an init --namespaced project", () => {
  it("gives the manager a Role and RoleBinding in the release namespace, and lints", async () => {
    const ns = path.join(tmp, "scoped");
    await mkdir(ns);
    for (const args of [["init", "--domain", "example.com", "--namespaced"], ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached"], ["manifests"], ["helm"]]) {
      const r = runTsop(ns, args);
      expect(r.code, `tsop ${args.join(" ")}\n${r.stderr}`).toBe(0);
    }
    const rendered = spawnSync(helm, ["template", "op", "dist/chart", "--namespace", "team-a"], { cwd: ns, encoding: "utf8" });
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/kind: Role\nmetadata:\n(?:  .*\n)*  name: scoped-manager-role\n  namespace: team-a\n/);
    expect(rendered.stdout).toMatch(/kind: RoleBinding\nmetadata:\n(?:  .*\n)*  name: scoped-manager-rolebinding\n  namespace: team-a\n/);
    expect(rendered.stdout).not.toMatch(/kind: ClusterRole\nmetadata:\n(?:  .*\n)*  name: scoped-manager-role\n/);
    expect(spawnSync(helm, ["lint", "dist/chart"], { cwd: ns, encoding: "utf8" }).status).toBe(0);
  });
});

describe("tsop helm for a project with webhooks and text that looks like a template", () => {
  let wh: string;
  const helmIn = (args: string[]): string => {
    const r = spawnSync(helm, args, { cwd: wh, encoding: "utf8" });
    expect(r.status, `$ helm ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const docs = (yaml: string): { kind: string; metadata: { name: string; annotations?: Record<string, string> } }[] =>
    parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null).filter((o) => o !== null);

  beforeAll(async () => {
    wh = path.join(tmp, "wh");
    await mkdir(wh);
    const steps = [
      ["init", "--domain", "example.com"],
      ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached"],
      ["create", "api", "--group", "cache", "--version", "v2", "--kind", "Memcached", "--controller=false"],
    ];
    for (const args of steps) expect(runTsop(wh, args).code, args.join(" ")).toBe(0);
    const types = path.join(wh, "src/api/cache/v1/memcached.ts");
    const src = (await readFile(types, "utf8"))
      .replace("   * An example field of Memcached; replace it with your own.", "   * Rendered by {{ .Values.x }} in a template, or {{- end }}; a lone }} too.")
      .replace(" * @scope Namespaced", " * @storageVersion\n * @scope Namespaced");
    await writeFile(types, src);
    for (const args of [["create", "webhook", "--group", "cache", "--version", "v1", "--kind", "Memcached", "--defaulting", "--programmatic-validation", "--conversion"], ["manifests"], ["helm"]]) {
      const r = runTsop(wh, args);
      expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
  });

  it("escapes {{ and }} of copied text: helm lint passes and the CRD description comes out literally", async () => {
    expect(escapeHelm("a {{ .Values.x }} b }}")).toBe('a {{ "{{" }} .Values.x {{ "}}" }} b {{ "}}" }}');
    expect(helmIn(["lint", "dist/chart"])).toContain("1 chart(s) linted, 0 chart(s) failed");
    const crd = docs(helmIn(["template", "op", "dist/chart", "--namespace", "op-system"])).find((o) => o.kind === "CustomResourceDefinition");
    expect(JSON.stringify(crd)).toContain(JSON.stringify("Rendered by {{ .Values.x }} in a template, or {{- end }}; a lone }} too."));
  });

  it("has the webhook Service and configurations, and cert-manager's Issuer and Certificates only with certmanager.enable", () => {
    const on = docs(helmIn(["template", "op", "dist/chart", "--namespace", "team-a"]));
    const names = (list: typeof on): string[] => list.map((o) => `${o.kind}/${o.metadata.name}`);
    for (const n of ["Service/wh-webhook-service", "MutatingWebhookConfiguration/wh-mutating-webhook-configuration", "ValidatingWebhookConfiguration/wh-validating-webhook-configuration", "Issuer/wh-selfsigned-issuer", "Certificate/wh-serving-cert", "Certificate/wh-metrics-certs"]) {
      expect(names(on)).toContain(n);
    }
    const text = stringify(on);
    // kustomize's namespace (wh-system) is the release's everywhere: clientConfig, CA injection, DNS names
    expect(text).not.toContain("wh-system");
    expect(on.find((o) => o.kind === "MutatingWebhookConfiguration")!.metadata.annotations).toEqual({ "cert-manager.io/inject-ca-from": "team-a/wh-serving-cert" });
    expect(text).toContain("wh-webhook-service.team-a.svc");
    expect(text).toContain("--metrics-cert-path=/tmp/k8s-metrics-server/metrics-certs");

    const off = docs(helmIn(["template", "op", "dist/chart", "--namespace", "team-a", "--set", "certmanager.enable=false"]));
    expect(names(off).filter((n) => /^(Issuer|Certificate)\//.test(n))).toEqual([]);
    expect(names(off)).toContain("ValidatingWebhookConfiguration/wh-validating-webhook-configuration");
    const offText = stringify(off);
    expect(offText).not.toContain("inject-ca-from");
    // no metrics certificate to mount: the metrics server makes a self-signed one; the webhook's Secret stays
    expect(offText).not.toContain("metrics-cert");
    expect(offText).toContain("secretName: webhook-server-cert");

    const noWebhook = names(docs(helmIn(["template", "op", "dist/chart", "--set", "webhook.enable=false"])));
    expect(noWebhook.filter((n) => /Webhook|webhook-service/.test(n))).toEqual([]);
  });

  it("the rendered objects, cert-manager's included, pass a server-side dry-run apply on a real kube-apiserver", async () => {
    const certManagerCrds = certManagerCrdFiles();
    const env = new Environment();
    try {
      const started = await env.start();
      const kc = ["--kubeconfig", started.kubeconfigPath];
      const kubectl = (args: string[], input?: string): string => {
        const r = spawnSync("/usr/bin/kubectl", [...kc, ...args], { cwd: wh, encoding: "utf8", input, timeout: 120_000 });
        expect(r.status, `$ kubectl ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
        return r.stdout;
      };
      kubectl(["create", "namespace", "team-a"]);
      // cert-manager's own CRDs (Issuer, Certificate), as its release ships them, so its kinds are validated too
      // (installCRDs waits until they are Established and served; `kubectl wait` right after the apply
      // fails at once while a new CRD has no status conditions yet: "accessor error: <nil>")
      await env.installCRDs(certManagerCrds);
      for (const cm of ["true", "false"]) {
        const objs = docs(helmIn(["template", "op", "dist/chart", "--namespace", "team-a", "--set", `certmanager.enable=${cm}`]));
        const applied = kubectl(["apply", "--server-side", "--dry-run=server", "-f", "-"], objs.map((o) => stringify(o)).join("---\n"));
        const want = ["customresourcedefinition.apiextensions.k8s.io/memcacheds.cache.example.com", "service/wh-webhook-service", "mutatingwebhookconfiguration.admissionregistration.k8s.io/wh-mutating-webhook-configuration", "validatingwebhookconfiguration.admissionregistration.k8s.io/wh-validating-webhook-configuration", "deployment.apps/wh-controller-manager"];
        if (cm === "true") want.push("issuer.cert-manager.io/wh-selfsigned-issuer", "certificate.cert-manager.io/wh-serving-cert", "certificate.cert-manager.io/wh-metrics-certs");
        for (const o of want) expect(applied).toContain(`${o} serverside-applied (server dry run)`);
        expect(applied.includes("cert-manager.io/"), applied).toBe(cm === "true");
      }
    } finally {
      await env.stop();
    }
  });
});

/** cert-manager's release CRDs for Issuer and Certificate, from its Go module (the module proxy, Go's module cache). */
function certManagerCrdFiles(): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "tsop-certmanager-"));
  try {
    const r = spawnSync("go", ["mod", "download", "-json", `github.com/cert-manager/cert-manager@${CERT_MANAGER_VERSION}`], { cwd: dir, encoding: "utf8", timeout: 300_000, env: { ...process.env, GOFLAGS: "-mod=mod" } });
    expect(r.status, `go mod download cert-manager: ${r.stdout}\n${r.stderr}`).toBe(0);
    const mod = JSON.parse(r.stdout) as { Dir: string };
    return ["cert-manager.io_issuers.yaml", "cert-manager.io_certificates.yaml"].map((f) => path.join(mod.Dir, "deploy/crds", f));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("findHelm", () => {
  it("without helm on PATH, a cached one or Go: one line saying what to install", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { UserError } = await import("../../src/errors.js");
    const empty = mkdtempSync(path.join(tmpdir(), "tsop-nohelm-"));
    try {
      const err = await findHelm({ PATH: empty, XDG_CACHE_HOME: empty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as InstanceType<typeof UserError>).format()).toBe("helm is not on PATH, and there is no Go to build it (install helm v3 (https://helm.sh/docs/intro/install/) or Go 1.24+)");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
