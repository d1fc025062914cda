import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { OLM_API_VERSION } from "../../src/olm/validator.js";
import { buildTsop, runTsop } from "../cli/built-cli.js";
import { contextFiles, parseDockerfile, parseDockerignore } from "../ship/dockerfile.js";

// `tsop bundle`: OLM bundles of scaffolded projects, compared with golden files, checked by
// operator-framework/api's own validators (the Go validator tsop builds into its cache), and
// applied to a real kube-apiserver (the bundle's CRDs, OLM's published ClusterServiceVersion CRD
// with the CSV created against it, the install strategy's RBAC and Deployment with dry-run).
// Regenerate the golden files with: UPDATE_GOLDEN=1 npx vitest run test/olm/bundle.test.ts

const goldenRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "golden");
const update = process.env["UPDATE_GOLDEN"] === "1";
let tmp: string;

function ok(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = runTsop(dir, args, env);
  expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function tree(dir: string, rels: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of rels) {
    const abs = path.join(dir, rel);
    if (!existsSync(abs)) continue;
    if (!(await readdir(abs, { withFileTypes: true }).catch(() => undefined))) { out.set(rel, await readFile(abs, "utf8")); continue; }
    for (const e of await readdir(abs, { withFileTypes: true, recursive: true })) {
      if (e.isFile()) { const p = path.join(e.parentPath, e.name); out.set(path.relative(dir, p), await readFile(p, "utf8")); }
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const OUTPUT = ["bundle", "bundle.Dockerfile", "bundle.Dockerfile.dockerignore", "config/manifests", "config/scorecard"];

/** Scaffolded projects and the bundle command each golden case runs. */
const cases: { name: string; setup: string[][] }[] = [
  {
    name: "memcached",
    setup: [
      ["init", "--domain", "example.com", "--repo", "github.com/acme/memcached-operator"],
      ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
      ["manifests"],
      ["bundle", "--version", "0.1.0", "--img", "example.com/memcached-operator:v0.1.0"],
    ],
  },
  {
    name: "webhooks-namespaced",
    setup: [
      ["init", "--domain", "example.com", "--namespaced"],
      ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached"],
      ["create", "webhook", "--group", "cache", "--version", "v1", "--kind", "Memcached", "--defaulting", "--programmatic-validation"],
      ["manifests"],
      ["bundle", "--version", "1.0.0-rc.1", "--channels", "stable,fast", "--default-channel", "fast", "--package", "memcached"],
    ],
  },
];
const dirs = new Map<string, string>();

beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp("tsop-olm-");
  for (const c of cases) {
    const dir = path.join(tmp, c.name, "memcached-operator");
    await mkdir(dir, { recursive: true });
    for (const args of c.setup) ok(dir, args, { TSOP_DEPENDENCY: "file:/TSOP" });
    dirs.set(c.name, dir);
  }
}, 600_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function mkdtemp(prefix: string): Promise<string> {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

describe("tsop bundle", () => {
  for (const c of cases) {
    it(`${c.name}: matches test/olm/golden/${c.name}, and a second run changes nothing`, async () => {
      const dir = dirs.get(c.name)!;
      const got = await tree(dir, OUTPUT);
      const goldenDir = path.join(goldenRoot, c.name);
      if (update) {
        await rm(goldenDir, { recursive: true, force: true });
        for (const [rel, content] of got) {
          await mkdir(path.dirname(path.join(goldenDir, rel)), { recursive: true });
          await writeFile(path.join(goldenDir, `${rel}.golden`), content);
        }
      }
      const want = new Map([...(await tree(goldenDir, ["."]))].map(([k, v]) => [k.replace(/\.golden$/, ""), v]));
      expect([...got.keys()]).toEqual([...want.keys()].sort());
      for (const [rel, content] of got) expect(content, rel).toBe(want.get(rel));
      expect(ok(dir, c.setup.at(-1)!)).toMatch(/^unchanged bundle\/\n/);
      expect(await tree(dir, OUTPUT)).toEqual(got);
    });
  }

  it("fills the CSV from config: install strategy, permissions, owned CRDs with the types' docs, webhooks, alm-examples", async () => {
    const csv = parse(await readFile(path.join(dirs.get("memcached")!, "bundle/manifests/memcached-operator.clusterserviceversion.yaml"), "utf8"));
    expect(csv.metadata.name).toBe("memcached-operator.v0.1.0");
    expect(csv.spec.version).toBe("0.1.0");
    expect(csv.spec.install.strategy).toBe("deployment");
    const [deployment] = csv.spec.install.spec.deployments;
    expect(deployment.name).toBe("memcached-operator-controller-manager");
    expect(deployment.spec.template.spec.containers[0].image).toBe("example.com/memcached-operator:v0.1.0");
    const cluster = csv.spec.install.spec.clusterPermissions[0];
    expect(cluster.serviceAccountName).toBe("memcached-operator-controller-manager");
    expect(cluster.rules).toContainEqual({ apiGroups: ["cache.example.com"], resources: ["memcacheds"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] });
    expect(csv.spec.install.spec.permissions[0].rules).toContainEqual(expect.objectContaining({ apiGroups: ["coordination.k8s.io"], resources: ["leases"] }));
    const [owned] = csv.spec.customresourcedefinitions.owned;
    expect(owned).toMatchObject({ name: "memcacheds.cache.example.com", version: "v1alpha1", kind: "Memcached", displayName: "Memcached", description: "Memcached is the Schema for the memcacheds API." });
    expect(owned.specDescriptors).toEqual([{ path: "foo", displayName: "Foo", description: "An example field of Memcached; replace it with your own." }]);
    expect(owned.statusDescriptors[0]).toMatchObject({ path: "conditions", "x-descriptors": ["urn:alm:descriptor:io.kubernetes.conditions"] });
    expect(JSON.parse(csv.metadata.annotations["alm-examples"])).toEqual([expect.objectContaining({ kind: "Memcached", metadata: expect.objectContaining({ name: "memcached-sample" }) })]);
    expect(csv.spec.minKubeVersion).toMatch(/^1\.\d+\.0$/);

    const ns = parse(await readFile(path.join(dirs.get("webhooks-namespaced")!, "bundle/manifests/memcached.clusterserviceversion.yaml"), "utf8"));
    expect(ns.spec.install.spec.clusterPermissions?.find((p: { rules: { resources: string[] }[] }) => p.rules.some((r) => r.resources.includes("memcacheds")))).toBeUndefined();
    expect(ns.spec.install.spec.permissions.flatMap((p: { rules: { resources: string[] }[] }) => p.rules.flatMap((r) => r.resources))).toContain("memcacheds");
    expect(ns.spec.installModes).toContainEqual({ type: "AllNamespaces", supported: false });
    expect(ns.spec.webhookdefinitions.map((w: { type: string; webhookPath: string }) => `${w.type} ${w.webhookPath}`)).toEqual([
      "MutatingAdmissionWebhook /mutate-cache-example-com-v1-memcached", "ValidatingAdmissionWebhook /validate-cache-example-com-v1-memcached",
    ]);
    const pod = ns.spec.install.spec.deployments[0].spec.template.spec;
    expect(JSON.stringify(pod)).not.toContain("webhook-server-cert"); // OLM mounts its own serving cert at the same path
    const annotations = parse(await readFile(path.join(dirs.get("webhooks-namespaced")!, "bundle/metadata/annotations.yaml"), "utf8")).annotations;
    expect(annotations["operators.operatorframework.io.bundle.channels.v1"]).toBe("stable,fast");
    expect(annotations["operators.operatorframework.io.bundle.channel.default.v1"]).toBe("fast");
    const dockerfile = await readFile(path.join(dirs.get("webhooks-namespaced")!, "bundle.Dockerfile"), "utf8");
    for (const [k, v] of Object.entries(annotations)) expect(dockerfile).toContain(`LABEL ${k}=${String(v)}\n`);
  });

  it("bundle.Dockerfile's own .dockerignore puts exactly bundle/ in the context, and every COPY finds its source there", async () => {
    const dir = dirs.get("memcached")!;
    const projectRules = parseDockerignore(await readFile(path.join(dir, ".dockerignore"), "utf8"));
    expect(contextFiles(dir, projectRules).some((f) => f.startsWith("bundle/"))).toBe(false); // why the bundle needs its own
    const context = contextFiles(dir, parseDockerignore(await readFile(path.join(dir, "bundle.Dockerfile.dockerignore"), "utf8")));
    expect(context).toEqual([...(await tree(dir, ["bundle"])).keys()]);
    const [stage] = parseDockerfile(await readFile(path.join(dir, "bundle.Dockerfile"), "utf8"));
    expect(stage!.from).toBe("scratch");
    const copies = stage!.steps.filter((s) => s.op === "COPY");
    expect(copies.map((c) => c.args.join(" "))).toEqual(["bundle/manifests /manifests/", "bundle/metadata /metadata/", "bundle/tests/scorecard /tests/scorecard/"]);
    for (const c of copies) expect(context.some((f) => f.startsWith(`${c.args[0]}/`)), c.args[0]).toBe(true);
  });

  it("keeps the user's edits to the base CSV and adds owned entries for new kinds", async () => {
    const dir = path.join(tmp, "edits");
    cpSync(dirs.get("memcached")!, dir, { recursive: true });
    const base = path.join(dir, "config/manifests/bases/memcached-operator.clusterserviceversion.yaml");
    let text = await readFile(base, "utf8");
    text = text.replace(/^  description: .*$/m, "  description: Runs memcached clusters. # mine").replace("displayName: Memcached\n", "displayName: Memcached Cluster\n");
    expect(text).toContain("# mine");
    await writeFile(base, text);
    ok(dir, ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Redis"]);
    ok(dir, ["manifests"]);
    ok(dir, ["bundle", "--version", "0.2.0"]);
    const after = await readFile(base, "utf8");
    expect(after.split("\n").slice(0, 5)).toEqual(text.split("\n").slice(0, 5)); // the header comment stays
    expect(after).toContain("description: Runs memcached clusters. # mine");
    expect(after).toContain("displayName: Memcached Cluster");
    expect(after).toContain("name: redises.cache.example.com");
    const csv = parse(await readFile(path.join(dir, "bundle/manifests/memcached-operator.clusterserviceversion.yaml"), "utf8"));
    expect(csv.spec.description).toBe("Runs memcached clusters.");
    expect(csv.spec.customresourcedefinitions.owned.map((o: { name: string; displayName: string }) => `${o.name} ${o.displayName}`)).toEqual(["memcacheds.cache.example.com Memcached Cluster", "redises.cache.example.com Redis"]);
    expect(existsSync(path.join(dir, "bundle/manifests/cache.example.com_redises.yaml"))).toBe(true);
  });

  it("refuses bad input with one line and writes nothing", async () => {
    const dir = path.join(tmp, "bad");
    await mkdir(dir);
    ok(dir, ["init", "--domain", "example.com"]);
    ok(dir, ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached"]);
    const cases: [string[], string][] = [
      [["bundle"], "error: the CRD file is missing: config/crd/bases/cache.example.com_memcacheds.yaml (run tsop manifests first)\n"],
      [["bundle", "--version", "v1.0"], "error: --version v1.0 is not a semantic version (OLM bundle versions look like 0.1.0 or 1.2.3-rc.1, without a leading v)\n"],
      [["bundle", "--channels", "stable,,fast"], "error: --channels stable,,fast: an empty channel name (a comma-separated list of names of letters, digits, '.', '_' and '-', e.g. --channels stable,fast)\n"],
      [["bundle", "--channels", "alpha", "--default-channel", "stable"], "error: --default-channel stable is not one of the channels (alpha) (add it to --channels, or pick one of alpha)\n"],
    ];
    for (const [args, stderr] of cases) {
      const r = runTsop(dir, args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toBe(stderr);
    }
    for (const p of ["bundle", "bundle.Dockerfile", "config/manifests", "config/scorecard"]) expect(existsSync(path.join(dir, p)), p).toBe(false);
  });
});

describe("tsop bundle validate (operator-framework/api's validators)", () => {
  it("finds no errors in the generated bundles", () => {
    for (const c of cases) {
      const r = runTsop(dirs.get(c.name)!, ["bundle", "validate", "--select-optional", "good-practices"]);
      expect(r.code, `${c.name}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).not.toMatch(/^error:/m);
      expect(r.stdout).toMatch(/^bundle: valid \(\d+ warnings?\)\n$/m);
    }
  }, 600_000);

  it("reports a CSV whose owned CRD is missing, and annotations whose default channel is not a channel", async () => {
    const broken = path.join(tmp, "broken-bundle");
    cpSync(path.join(dirs.get("memcached")!, "bundle"), broken, { recursive: true });
    await rm(path.join(broken, "manifests/cache.example.com_memcacheds.yaml"));
    const ann = path.join(broken, "metadata/annotations.yaml");
    await writeFile(ann, (await readFile(ann, "utf8")).replace("channel.default.v1: alpha", "channel.default.v1: stable"));
    const r = runTsop(tmp, ["bundle", "validate", broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: memcached-operator.v0.1.0: owned CRD "cache.example.com/v1alpha1, Kind=Memcached" not found in bundle "memcached-operator.v0.1.0"\n');
    expect(r.stdout).toContain('error: metadata/annotations.yaml: default channel "stable" is not one of the channels ["alpha"]\n');
    expect(r.stderr.trim().split("\n").at(-1)).toBe(`error: ${broken} has 2 validation errors (fix them in config/ (the base CSV is config/manifests/bases) and run tsop bundle again)`);
  });

  it("says in one line when the validator cannot be built (no module proxy) or there is no Go", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "tsop-olm-nogo-"));
    try {
      const dir = dirs.get("memcached")!;
      let r = runTsop(dir, ["bundle", "validate"], { XDG_CACHE_HOME: empty, GOPROXY: "off", GOMODCACHE: path.join(empty, "mod") });
      expect(r.code).toBe(1);
      const last = r.stderr.trim().split("\n").at(-1)!;
      expect(last).toMatch(/^error: building tsop-olm-validate with Go failed: .*GOPROXY=off.* \(the validator needs github\.com\/operator-framework\/api v[\d.]+ from the Go module proxy \(GOPROXY\) and Go 1\.26\+\)$/);
      r = runTsop(dir, ["bundle", "validate"], { XDG_CACHE_HOME: empty, PATH: empty });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe("error: the OLM bundle validator is built with Go, and there is no go on PATH (install Go 1.26+ (https://go.dev/dl/); tsop builds it once into its cache)\n");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("tsop bundle for a project whose only webhook is a conversion webhook, and --dry-run --validate", () => {
  it("defines a ConversionWebhook, supports only AllNamespaces, and validates", async () => {
    const dir = path.join(tmp, "conversion");
    await mkdir(dir);
    const api = (version: string, ...extra: string[]): string[] => ["create", "api", "--group", "cache", "--version", version, "--kind", "Memcached", ...extra];
    for (const args of [["init", "--domain", "example.com"], api("v1"), api("v2", "--controller=false")]) ok(dir, args);
    const hub = path.join(dir, "src/api/cache/v1/memcached.ts");
    await writeFile(hub, (await readFile(hub, "utf8")).replace(" * @subresource status\n", " * @subresource status\n * @storageVersion\n"));
    ok(dir, ["create", "webhook", "--group", "cache", "--version", "v1", "--kind", "Memcached", "--conversion", "--spoke", "v2"]);
    ok(dir, ["manifests"]);
    // Conversion only: no @webhook tags, yet config/webhook/kustomization.yaml lists manifests.yaml.
    expect(await readFile(path.join(dir, "config/webhook/manifests.yaml"), "utf8")).toMatch(/^# No admission webhooks/);
    const out = ok(dir, ["bundle", "--validate"]);
    expect(out).toMatch(/^bundle\/: valid \(\d+ warnings?\)$/m);
    const csv = parse(await readFile(path.join(dir, "bundle/manifests/conversion.clusterserviceversion.yaml"), "utf8"));
    expect(csv.spec.webhookdefinitions).toContainEqual(expect.objectContaining({ type: "ConversionWebhook", conversionCRDs: ["memcacheds.cache.example.com"], webhookPath: "/convert", deploymentName: "conversion-controller-manager", targetPort: 9443 }));
    expect(csv.spec.installModes.filter((m: { supported: boolean }) => m.supported).map((m: { type: string }) => m.type)).toEqual(["AllNamespaces"]);
    expect(csv.spec.customresourcedefinitions.owned.map((o: { version: string }) => o.version)).toEqual(["v1", "v2"]);
  }, 300_000);

  it("--dry-run --validate writes nothing and validates the bundle it would write", async () => {
    const dir = path.join(tmp, "dry");
    cpSync(dirs.get("memcached")!, dir, { recursive: true });
    for (const p of ["bundle", "bundle.Dockerfile", "config/manifests", "config/scorecard"]) await rm(path.join(dir, p), { recursive: true });
    const out = ok(dir, ["bundle", "--dry-run", "--validate"]);
    expect(out).toMatch(/^dry run, nothing written:\ncreate    config\/manifests\/bases\/memcached-operator\.clusterserviceversion\.yaml\n/);
    expect(out).toMatch(/^bundle\/ \(not written\): valid \(0 warnings\)$/m);
    for (const p of ["bundle", "bundle.Dockerfile", "config/manifests", "config/scorecard"]) expect(existsSync(path.join(dir, p)), p).toBe(false);
  });
});

describe("the bundle on a real kube-apiserver", () => {
  it("its CRDs apply, the CSV is accepted by OLM's published ClusterServiceVersion CRD, the install strategy's RBAC and Deployment pass a server-side dry run", async () => {
    const dir = dirs.get("webhooks-namespaced")!;
    const mod = spawnSync("go", ["mod", "download", "-json", `github.com/operator-framework/api@v${OLM_API_VERSION}`], { cwd: tmp, encoding: "utf8" });
    expect(mod.status, mod.stderr).toBe(0);
    const csvCrd = path.join((JSON.parse(mod.stdout) as { Dir: string }).Dir, "crds/operators.coreos.com_clusterserviceversions.yaml");
    const manifests = path.join(dir, "bundle/manifests");
    const csvFile = (await readdir(manifests)).find((f) => f.endsWith(".clusterserviceversion.yaml"))!;
    const csv = parse(await readFile(path.join(manifests, csvFile), "utf8"));
    const ns = "op-system";
    const install = csv.spec.install.spec as { deployments: { name: string; spec: unknown }[]; permissions?: { serviceAccountName: string; rules: unknown[] }[]; clusterPermissions?: { serviceAccountName: string; rules: unknown[] }[] };
    const sa = install.deployments[0]!.spec as { template: { spec: { serviceAccountName: string } } };
    // What OLM creates from the install strategy, in the shapes it creates them.
    const shapes: unknown[] = [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa.template.spec.serviceAccountName, namespace: ns } },
      ...(install.permissions ?? []).flatMap((p, i) => [
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: `csv-role-${i}`, namespace: ns }, rules: p.rules },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: `csv-role-${i}`, namespace: ns }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `csv-role-${i}` }, subjects: [{ kind: "ServiceAccount", name: p.serviceAccountName, namespace: ns }] },
      ]),
      ...(install.clusterPermissions ?? []).flatMap((p, i) => [
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: `csv-clusterrole-${i}` }, rules: p.rules },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: `csv-clusterrole-${i}` }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `csv-clusterrole-${i}` }, subjects: [{ kind: "ServiceAccount", name: p.serviceAccountName, namespace: ns }] },
      ]),
      ...install.deployments.map((d) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: d.name, namespace: ns }, spec: d.spec })),
      ...(csv.spec.webhookdefinitions as { type: string; generateName: string; rules: unknown; sideEffects: string; admissionReviewVersions: string[]; failurePolicy: string; webhookPath: string }[]).map((w) => ({
        apiVersion: "admissionregistration.k8s.io/v1", kind: w.type === "MutatingAdmissionWebhook" ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration",
        metadata: { name: w.generateName }, webhooks: [{ name: w.generateName, rules: w.rules, sideEffects: w.sideEffects, admissionReviewVersions: w.admissionReviewVersions, failurePolicy: w.failurePolicy, clientConfig: { service: { name: `${install.deployments[0]!.name}-service`, namespace: ns, path: w.webhookPath, port: 443 } } }],
      })),
    ];
    const env = new Environment();
    let started: StartedEnvironment | undefined;
    const kubectl = (args: string[], input?: string): string => {
      const r = spawnSync("/usr/bin/kubectl", ["--kubeconfig", started!.kubeconfigPath, ...args], { encoding: "utf8", input, timeout: 300_000, maxBuffer: 64 << 20 });
      expect(r.status, `kubectl ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    try {
      started = await env.start();
      kubectl(["create", "namespace", ns]);
      const crdFiles = (await readdir(manifests)).filter((f) => f !== csvFile);
      const bundleObjects = (await Promise.all(crdFiles.map(async (f) => parseAllDocuments(await readFile(path.join(manifests, f), "utf8")).map((d) => d.toJS() as { kind: string })))).flat();
      const crds = bundleObjects.filter((o) => o.kind === "CustomResourceDefinition");
      expect(crds.length).toBeGreaterThan(0);
      expect(kubectl(["apply", "--server-side", "-f", "-"], crds.map((c) => JSON.stringify(c)).join("\n"))).toContain("customresourcedefinition.apiextensions.k8s.io/memcacheds.cache.example.com serverside-applied");
      kubectl(["apply", "--server-side", "-f", csvCrd]);
      for (const crd of ["clusterserviceversions.operators.coreos.com", "memcacheds.cache.example.com"]) {
        const established = (): boolean => ((JSON.parse(kubectl(["get", "crd", crd, "-o", "json"])) as { status?: { conditions?: { type: string; status: string }[] | null } }).status?.conditions ?? []).some((c) => c.type === "Established" && c.status === "True");
        for (let i = 0; !established(); i++) {
          expect(i, `${crd} not Established`).toBeLessThan(600);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      // The CSV itself, validated by the apiserver against OLM's schema (not a dry run).
      expect(kubectl(["apply", "--server-side", "-n", ns, "-f", path.join(manifests, csvFile)])).toContain(`clusterserviceversion.operators.coreos.com/${csv.metadata.name} serverside-applied`);
      expect(kubectl(["get", "csv", "-n", ns, csv.metadata.name, "-o", "jsonpath={.spec.install.strategy} {.spec.version}"])).toBe("deployment 1.0.0-rc.1");
      // The objects the bundle carries besides CRDs and the CSV, and what OLM makes of the install strategy.
      const rest = bundleObjects.filter((o) => o.kind !== "CustomResourceDefinition");
      const applied = kubectl(["apply", "--server-side", "--dry-run=server", "-n", ns, "-f", "-"], [...rest, ...shapes].map((o) => JSON.stringify(o)).join("\n"));
      expect(applied).toContain("deployment.apps/memcached-operator-controller-manager serverside-applied (server dry run)");
      expect(applied).toContain("role.rbac.authorization.k8s.io/csv-role-0 serverside-applied (server dry run)");
      expect(applied).toContain("service/memcached-operator-controller-manager-metrics-service serverside-applied (server dry run)");
      expect(applied).toContain("validatingwebhookconfiguration.admissionregistration.k8s.io/vmemcached-v1.kb.io serverside-applied (server dry run)");
      // The alm-examples sample is a valid object of its CRD.
      const examples = JSON.parse(csv.metadata.annotations["alm-examples"]) as unknown[];
      expect(kubectl(["apply", "--server-side", "--dry-run=server", "-n", ns, "-f", "-"], examples.map((e) => JSON.stringify(e)).join("\n"))).toContain("memcached.cache.example.com/memcached-sample serverside-applied (server dry run)");
    } finally {
      await env.stop();
    }
  }, 600_000);
});
