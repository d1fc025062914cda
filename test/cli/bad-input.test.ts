import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTsop, repoRoot, runTsop } from "./built-cli.js";

// Every bad input: one line on stderr (what, where, how to fix), exit 1, no stack trace, and not
// one file changed. Runs the built CLI (node bin/tsop.js) as a child process.

async function snapshot(dir: string, rel = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.set(r + "/", "");
      for (const [k, v] of await snapshot(dir, r)) out.set(k, v);
    } else out.set(r, await readFile(path.join(dir, r), "utf8"));
  }
  return out;
}

let tmp: string;
let project: string;
let n = 0;

/** A fresh copy of the scaffolded project (init + one API) to break. */
async function freshProject(): Promise<string> {
  const dir = path.join(tmp, `p${n++}`);
  await mkdir(dir);
  for (const [rel, content] of await snapshot(project)) {
    if (rel.endsWith("/")) await mkdir(path.join(dir, rel), { recursive: true });
    else await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

async function expectRefused(dir: string, args: string[], message: RegExp): Promise<void> {
  const before = await snapshot(dir);
  const r = runTsop(dir, args);
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(await snapshot(dir)).toEqual(before);
}

/** Makes `tsop/runtime` resolvable in `dir` as `npm install` would (node_modules/tsop -> the checkout). */
async function linkTsop(dir: string): Promise<void> {
  await mkdir(path.join(dir, "node_modules"));
  await symlink(repoRoot, path.join(dir, "node_modules/tsop"));
}

beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp(path.join(tmpdir(), "tsop-bad-"));
  project = path.join(tmp, "project");
  await mkdir(project);
  expect(runTsop(project, ["init", "--domain", "example.com", "--project-name", "op"]).code).toBe(0);
  expect(runTsop(project, ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"]).code).toBe(0);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("tsop init refuses", () => {
  it.each([
    [["--project-name", "My_Op"], /^error: invalid project name "My_Op": .* \(valid: --project-name memcached-operator\)$/],
    [["--domain", "Example.COM"], /^error: invalid domain "Example.COM": .* \(valid: --domain example\.com\)$/],
    [["--repo", "has space"], /^error: invalid repo "has space"/],
    [["--license", "mit"], /^error: option '--license <license>' argument 'mit' is invalid\. must be apache2 or none\.$/],
    [["--frobnicate"], /^error: unknown option '--frobnicate' \(run the command with --help to see its options and arguments\)$/],
  ])("%j", async (args, re) => {
    const dir = path.join(tmp, `init${n++}`);
    await mkdir(dir);
    await expectRefused(dir, ["init", ...args], re);
  });

  it("a non-empty directory, but not one with only dotfiles, README and LICENSE", async () => {
    const dir = path.join(tmp, `init${n++}`);
    await mkdir(dir);
    await writeFile(path.join(dir, "notes.txt"), "mine");
    await expectRefused(dir, ["init", "--domain", "example.com"], /^error: the directory is not empty: notes\.txt \(run tsop init in an empty directory .*--force\)$/);

    const ok = path.join(tmp, `init${n++}`);
    await mkdir(path.join(ok, ".git"), { recursive: true });
    await writeFile(path.join(ok, "README.md"), "# mine\n");
    await writeFile(path.join(ok, "LICENSE"), "mine\n");
    const r = runTsop(ok, ["init", "--domain", "example.com", "--project-name", "ok"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(path.join(ok, "README.md"), "utf8")).toBe("# mine\n");
    expect(r.stdout).toMatch(/keep +README\.md/);
  });

  it("an existing project", async () => {
    await expectRefused(await freshProject(), ["init"], /^error: PROJECT: this directory already has a PROJECT file/);
  });
});

describe("tsop create api refuses", () => {
  const api = (...extra: string[]) => ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached", ...extra];

  it.each([
    [["create", "api", "--group", "cache", "--version", "v1", "--kind", "memcached"], /^error: invalid kind "memcached": must start with an upper-case letter \(valid: --kind Memcached\)$/],
    [["create", "api", "--group", "Cache", "--version", "v1", "--kind", "Foo"], /^error: invalid group "Cache": .*\(valid: --group cache \(API group cache\.example\.com\)\)$/],
    [["create", "api", "--group", "cache", "--version", "v1.0", "--kind", "Foo"], /^error: invalid version "v1\.0": .* \(valid: v1, v1alpha1, v2beta3\)$/],
    [["create", "api", "--group", "cache", "--version", "v1", "--kind", "Foo", "--plural", "Foos"], /^error: invalid plural "Foos"/],
    [["create", "api", "--group", "cache", "--version", "v1"], /^error: required option '--kind <kind>' not specified \(see tsop create api --help\)$/],
    [["create", "api", "--group", "cache", "--version", "v1", "--kind", "Foo", "--namespaced=maybe"], /^error: option '--namespaced \[bool\]' argument 'maybe' is invalid\. must be true or false \(write --namespaced, --namespaced=true, --namespaced=false or --no-namespaced\)\.$/],
    [["create", "api", "--group", "cache", "--version", "v1", "--kind", "Foo", "--bogus"], /^error: unknown option '--bogus'/],
    [["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"], /^error: the API cache\.example\.com\/v1alpha1, Kind=Memcached already exists in PROJECT \(pass --force/],
    [["create", "api", "--group", "cache", "--version", "v1", "--kind", "Foo", "--resource=false", "--controller=false"], /^error: both --resource=false and --controller=false/],
    [["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached"], /^error: Memcached already has a controller \(for v1alpha1\) \(pass --controller=false/],
  ])("%j", async (args, re) => {
    await expectRefused(await freshProject(), args, re);
  });

  it.each([
    [["--external"], /^error: --external needs --from-crd FILE \(tsop create api --external --from-crd crd\.yaml\)$/],
    [["--external", "--from-crd", "nope.yaml"], /^error: cannot read the CRD file nope\.yaml \(pass the path of a CRD YAML file\)$/],
    [["--external", "--from-crd", "PROJECT"], /^error: the file holds no apiextensions\.k8s\.io\/v1 CustomResourceDefinition/],
  ])("external kinds: %j", async (args, re) => {
    await expectRefused(await freshProject(), ["create", "api", ...args], re);
  });

  it("an unknown create subcommand", async () => {
    await expectRefused(await freshProject(), ["create", "apx"], /^error: unknown command 'create apx' \(did you mean tsop create api\?/);
    await expectRefused(await freshProject(), ["create", "apis", "--group", "cache"], /^error: unknown command 'create apis' \(did you mean tsop create api\?/);
  });

  it("a typo'd flag, with commander's suggestion on the same line", async () => {
    await expectRefused(await freshProject(), ["create", "api", "--grop", "cache"], /^error: unknown option '--grop' \(did you mean --group\?\)$/);
    await expectRefused(await freshProject(), ["crate", "api"], /^error: unknown command 'crate' \(did you mean create\?\)$/);
  });

  it("outside a project", async () => {
    const dir = path.join(tmp, `empty${n++}`);
    await mkdir(dir);
    await expectRefused(dir, api(), /^error: no PROJECT file here: this is not a tsop project \(run `tsop init` first/);
  });

  it("with a corrupt PROJECT", async () => {
    const dir = await freshProject();
    await writeFile(path.join(dir, "PROJECT"), "layout: tsop.dev/v1\ndomain: [unclosed\n");
    await expectRefused(dir, api(), /^error: PROJECT:\d+: PROJECT is not a valid tsop project file: YAML syntax error/);
    await writeFile(path.join(dir, "PROJECT"), "layout: tsop.dev/v1\ndomain: example.com\nrepo: r\nprojectName: op\nresources: {}\n");
    await expectRefused(dir, api(), /^error: PROJECT: PROJECT is not a valid tsop project file: resources must be a list/);
  });

  it("when src/main.ts lost its reconcilers array, and writes none of the other files", async () => {
    const dir = await freshProject();
    const main = await readFile(path.join(dir, "src/main.ts"), "utf8");
    await writeFile(path.join(dir, "src/main.ts"), main.replace("const reconcilers", "const mine"));
    await expectRefused(dir, api("--kind", "Foo"), /^error: src\/main\.ts: cannot add the reconciler: there is no top-level `const reconcilers = \[\.\.\.\]` \(tsop expects/);
  });

  it("to overwrite a file the user edited, listing it", async () => {
    const dir = await freshProject();
    await mkdir(path.join(dir, "src/api/cache/v1"), { recursive: true });
    await writeFile(path.join(dir, "src/api/cache/v1/foo.ts"), "// mine\n");
    await expectRefused(dir, api("--kind", "Foo"), /^error: src\/api\/cache\/v1\/foo\.ts: file exists with other content; not overwriting it \(move it away, or pass --force/);
  });
});

describe("tsop create api", () => {
  it("with --dry-run prints the plan and writes nothing", async () => {
    const dir = await freshProject();
    const before = await snapshot(dir);
    const r = runTsop(dir, api("--kind", "Foo", "--dry-run"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dry run, nothing written:\n/);
    expect(r.stdout).toMatch(/create +src\/api\/cache\/v1\/foo\.ts/);
    expect(r.stdout).toMatch(/update +src\/main\.ts/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it("with --force scaffolds an existing kind again and keeps main.ts free of duplicates", async () => {
    const dir = await freshProject();
    const r = runTsop(dir, ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--force"]);
    expect(r.code, r.stderr).toBe(0);
    const main = await readFile(path.join(dir, "src/main.ts"), "utf8");
    expect(main.match(/new MemcachedReconciler\(\)/g)).toHaveLength(1);
    expect(main.match(/import \{ MemcachedReconciler \}/g)).toHaveLength(1);
    const projectText = await readFile(path.join(dir, "PROJECT"), "utf8");
    expect(projectText.match(/kind: Memcached/g)).toHaveLength(1);
  });

  it("adds a second version of a kind with --controller=false", async () => {
    const dir = await freshProject();
    const r = runTsop(dir, api("--controller=false"));
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(path.join(dir, "src/api/cache/v1/memcached.ts"), "utf8")).toContain('version: "v1"');
    expect(await readFile(path.join(dir, "config/crd/kustomization.yaml"), "utf8")).toContain("- bases/cache.example.com_memcacheds.yaml\n");
  });

  function api(...extra: string[]): string[] {
    return ["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached", ...extra];
  }
});

describe("tsop run and tsop manifests refuse", () => {
  it("run outside a project", async () => {
    const dir = path.join(tmp, `empty${n++}`);
    await mkdir(dir);
    await expectRefused(dir, ["run"], /^error: no PROJECT file here: this is not a tsop project/);
    await expectRefused(dir, ["manifests"], /^error: no PROJECT file here: this is not a tsop project/);
  });

  it("run before npm install", async () => {
    await expectRefused(await freshProject(), ["run", "--no-install"], /^error: the project's dependencies are not installed: .* \(run npm install\)$/);
  });

  it.each([
    ["missing.yaml", null, /^error: kubeconfig missing\.yaml does not exist \(pass an existing file/],
    ["kc.yaml", "apiVersion: v1\nclusters: [\n", /^error: .*kc\.yaml:3:1: invalid YAML in kubeconfig: [^:]+ \(fix the YAML syntax\)\n$/],
    ["kc.yaml", "apiVersion: v1\nkind: Config\n", /^error: .*kc\.yaml: kubeconfig has no current-context/],
  ])("run with a broken kubeconfig (%s: %j), before bundling anything", async (file, content, re) => {
    const dir = await freshProject();
    await linkTsop(dir);
    if (content !== null) await writeFile(path.join(dir, file), content);
    const r = runTsop(dir, ["run", "--no-install", "--kubeconfig", file]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expect(await readdir(dir)).not.toContain(".tsop");
  });

  it("run against an unreachable cluster", async () => {
    const dir = await freshProject();
    await linkTsop(dir);
    await mkdir(path.join(dir, "config/crd/bases"), { recursive: true });
    await writeFile(path.join(dir, "config/crd/bases/x.yaml"), "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: foos.cache.example.com\n");
    await writeFile(path.join(dir, "kc.yaml"), [
      "apiVersion: v1", "kind: Config", "current-context: x",
      "clusters:", "- name: c", "  cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}",
      "users:", "- name: u", "  user: {token: abc}",
      "contexts:", "- name: x", "  context: {cluster: c, user: u}", "",
    ].join("\n"));
    const r = runTsop(dir, ["run", "--kubeconfig", "kc.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot install the CRDs: cannot reach the cluster at https:\/\/127\.0\.0\.1:1: ECONNREFUSED \(check that it is running .*; or pass --no-install\)\n$/);
  });

  it("manifests with a bad --max-description-length", async () => {
    await expectRefused(await freshProject(), ["manifests", "--max-description-length", "-3"], /^error: option '--max-description-length <n>' argument '-3' is invalid\. must be a whole number >= 0\.$/);
  });
});

describe("tsop envtest refuses", () => {
  it("start with --kubeconfig in a directory that does not exist, before starting anything", async () => {
    await expectRefused(await freshProject(), ["envtest", "start", "--kubeconfig", "no/such/dir/kc.yaml"], /^error: cannot write the kubeconfig to no\/such\/dir\/kc\.yaml: its directory does not exist \(create the directory/);
  });

  it("start with a CRD file that is not valid YAML, in one line with its position", async () => {
    const dir = await freshProject();
    await writeFile(path.join(dir, "bad.yaml"), "kind: [\n");
    await expectRefused(dir, ["envtest", "start", "--crd-dir", "bad.yaml"], /^error: bad\.yaml:2:1: cannot parse YAML: [^:]+ \(fix the YAML syntax\)$/);
  });

  it("an unknown envtest subcommand, without a page of help", async () => {
    await expectRefused(await freshProject(), ["envtest", "strat"], /^error: unknown command 'strat' \(did you mean start\?\)$/);
  });
});

describe("tsop init and help", () => {
  it("init --dry-run prints the plan and writes nothing", async () => {
    const dir = path.join(tmp, `dry${n++}`);
    await mkdir(dir);
    const r = runTsop(dir, ["init", "--domain", "example.com", "--project-name", "dry", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dry run, nothing written:\n/);
    expect(r.stdout).toMatch(/create +config\/manager\/manager\.yaml\n/);
    expect(r.stdout).toMatch(/create +PROJECT\n$/);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([["init"], ["create", "api"], ["manifests"], ["run"]])("%j --help shows examples", (...cmd) => {
    const r = runTsop(tmp, [...cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n  tsop /);
  });
});

describe("tsop install, uninstall, deploy, undeploy and build-installer refuse", () => {
  const crdFile = "config/crd/bases/cache.example.com_memcacheds.yaml";
  const unreachable = [
    "apiVersion: v1", "kind: Config", "current-context: x",
    "clusters:", "- name: c", "  cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}",
    "users:", "- name: u", "  user: {token: abc}",
    "contexts:", "- name: x", "  context: {cluster: c, user: u}", "",
  ].join("\n");

  /** A project whose CRD `tsop manifests` would have written (a stand-in, no compiler needed). */
  async function withCrd(): Promise<string> {
    const dir = await freshProject();
    await mkdir(path.join(dir, "config/crd/bases"), { recursive: true });
    await writeFile(path.join(dir, crdFile), JSON.stringify({
      apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "memcacheds.cache.example.com" },
      spec: { group: "cache.example.com", names: { kind: "Memcached", plural: "memcacheds" }, scope: "Namespaced", versions: [{ name: "v1alpha1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] },
    }));
    await writeFile(path.join(dir, "kc.yaml"), unreachable);
    return dir;
  }

  it.each([["install"], ["uninstall"], ["deploy"], ["undeploy"], ["build-installer"]])("%s before tsop manifests", async (cmd) => {
    await expectRefused(await freshProject(), [cmd], /^error: the CRD file is missing: config\/crd\/bases\/cache\.example\.com_memcacheds\.yaml \(run tsop manifests first\)$/);
  });

  it.each([["install"], ["uninstall"], ["deploy"], ["undeploy"]])("%s with no kubeconfig at all", async (cmd) => {
    const dir = await withCrd();
    const before = await snapshot(dir);
    const r = runTsop(dir, [cmd], { KUBECONFIG: "", HOME: dir, KUBERNETES_SERVICE_HOST: "" });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: no kubeconfig found: .* \(pass --kubeconfig or set KUBECONFIG\)\n$/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it.each([["install"], ["uninstall"], ["deploy"], ["undeploy"]])("%s against an unreachable cluster", async (cmd) => {
    await expectRefused(await withCrd(), [cmd, "--kubeconfig", "kc.yaml"], /^error: cannot reach the cluster at https:\/\/127\.0\.0\.1:1: ECONNREFUSED \(check that it is running and that --kubeconfig\/--context \(or \$KUBECONFIG\) point at it\)$/);
  });

  it("install with a --context the kubeconfig does not have", async () => {
    await expectRefused(await withCrd(), ["install", "--kubeconfig", "kc.yaml", "--context", "prod"], /^error: .*kc\.yaml: context "prod" not found in kubeconfig \(known contexts: x\)$/);
  });

  it.each([["deploy"], ["build-installer"]])("%s with an --img that is not an image reference", async (cmd) => {
    await expectRefused(await withCrd(), [cmd, "--img", "Quay.io/ACME/op:v1", ...(cmd === "deploy" ? ["--kubeconfig", "kc.yaml"] : [])], /^error: --img "Quay\.io\/ACME\/op:v1" is not a valid image reference: "ACME" must be lower-case .* \(use \[registry\/\]repository\[:tag\]\[@digest\], .*\)$/);
  });

  it.each([["deploy"], ["build-installer"]])("%s when kustomize fails, quoting kustomize", async (cmd) => {
    const dir = await withCrd();
    const k = path.join(dir, "config/default/kustomization.yaml");
    await writeFile(k, (await readFile(k, "utf8")) + "- nonexistent.yaml\n");
    await expectRefused(dir, [cmd, ...(cmd === "deploy" ? ["--kubeconfig", "kc.yaml"] : [])], /^error: kustomize build config\/default failed: accumulating resources: .*nonexistent\.yaml.* \(fix the kustomization under config\/ \(kustomize's message is quoted\)\)$/);
  });

  it.each([["install"], ["deploy"], ["undeploy"], ["build-installer"]])("%s --dry-run prints the plan and changes nothing", async (cmd) => {
    const dir = await withCrd();
    const before = await snapshot(dir);
    // An unreachable cluster: a dry run does not talk to it.
    const r = runTsop(dir, [cmd, "--dry-run", ...(cmd === "build-installer" ? [] : ["--kubeconfig", "kc.yaml"])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dry run, nothing (applied|deleted|written):\n/);
    expect(r.stdout).toContain(cmd === "build-installer" ? "create    dist/install.yaml" : "CustomResourceDefinition memcacheds.cache.example.com");
    expect(await snapshot(dir)).toEqual(before);
  });

  it.each([["install"], ["uninstall"], ["deploy"], ["undeploy"], ["build-installer"]])("%s --help shows examples", (cmd) => {
    const r = runTsop(tmp, [cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n  tsop /);
  });

  it("install is skipped when npm runs it as the package's install hook (npm install), not for npm run install", async () => {
    const dir = await withCrd();
    const hook = runTsop(dir, ["install", "--kubeconfig", "kc.yaml"], { npm_lifecycle_event: "install", npm_command: "ci" });
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stderr).toMatch(/^tsop install: skipped during npm install/);
    const run = runTsop(dir, ["install", "--kubeconfig", "kc.yaml"], { npm_lifecycle_event: "install", npm_command: "run" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the cluster/);
  });
});

describe("tsop create webhook refuses", () => {
  const wh = ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"];

  it("no webhook asked for, a kind not in PROJECT, --spoke without --conversion", async () => {
    await expectRefused(await freshProject(), wh, /^error: no webhook asked for \(pass --defaulting, --programmatic-validation and\/or --conversion\)$/);
    await expectRefused(await freshProject(), ["create", "webhook", "--group", "cache", "--version", "v1", "--kind", "Memcached", "--defaulting"], /^error: PROJECT has no API cache\/v1, Kind=Memcached \(it has Memcached as cache\/v1alpha1\) \(create it first with tsop create api;.*\)$/);
    await expectRefused(await freshProject(), ["create", "webhook", "--group", "core", "--version", "v1", "--kind", "Pdo", "--defaulting"], /^error: PROJECT has no API core\/v1, Kind=Pdo \(/);
    await expectRefused(await freshProject(), [...wh, "--defaulting", "--spoke", "v2"], /^error: --spoke needs --conversion \(add --conversion, or drop --spoke\)$/);
  });

  it("a duplicate webhook without --force", async () => {
    const dir = await freshProject();
    expect(runTsop(dir, [...wh, "--defaulting"]).code).toBe(0);
    await expectRefused(dir, [...wh, "--defaulting", "--programmatic-validation"], /^error: Memcached v1alpha1 already has the webhook --defaulting \(pass --force to scaffold its webhook file again \(overwrites your edits\)\)$/);
  });

  it("--conversion for a kind with one version, without a storage version, with a spoke that is no version of it", async () => {
    const dir = await freshProject();
    await expectRefused(dir, [...wh, "--conversion"], /^error: --conversion: Memcached has only one version \(v1alpha1\); conversion needs two or more \(add a version first: tsop create api --group cache --version <v2> --kind Memcached --controller=false\)$/);
    expect(runTsop(dir, ["create", "api", "--group", "cache", "--version", "v1beta1", "--kind", "Memcached", "--controller=false"]).code).toBe(0);
    await expectRefused(dir, [...wh, "--conversion"], /^error: --conversion: no version of Memcached is marked @storageVersion \(put @storageVersion on the JSDoc of Memcached in exactly one version's API file/);
    const api = path.join(dir, "src/api/cache/v1alpha1/memcached.ts");
    await writeFile(api, (await readFile(api, "utf8")).replace(" * @subresource status\n", " * @subresource status\n * @storageVersion\n"));
    await expectRefused(dir, [...wh, "--conversion", "--spoke", "v2"], /^error: --spoke v2 is not another version of Memcached \(its versions: v1alpha1, v1beta1\) \(pass --spoke with some of: v1beta1\)$/);
    await expectRefused(dir, ["create", "webhook", "--group", "cache", "--version", "v1beta1", "--kind", "Memcached", "--conversion"], /^error: --conversion: the hub must be the storage version v1alpha1, not v1beta1 \(run it with --version v1alpha1\)$/);
  });

  it("malformed @webhook tags in tsop manifests, with file:line:col and the fix", async () => {
    const dir = await freshProject();
    expect(runTsop(dir, [...wh, "--defaulting"]).code).toBe(0);
    const file = path.join(dir, "src/webhooks/cache/v1alpha1/memcached.webhook.ts");
    const good = await readFile(file, "utf8");
    const line = good.split("\n").findIndex((l) => l.includes(" * @webhook path=")) + 1;
    const col = (good.split("\n")[line - 1] as string).indexOf("path=") + 1;
    const cases: [string, string, RegExp][] = [
      ["sideEffects=None", "sideEfects=None", new RegExp(`^error: src/webhooks/cache/v1alpha1/memcached\\.webhook\\.ts:${line}:\\d+: @webhook: unknown field sideEfects \\(did you mean sideEffects\\?\\)$`)],
      ["verbs=create;update", "verbs=create;updte", new RegExp(`^error: src/webhooks/cache/v1alpha1/memcached\\.webhook\\.ts:${line}:\\d+: @webhook: unknown verb updte \\(did you mean update\\?\\)$`)],
      ["path=/mutate-cache-example-com-v1alpha1-memcached", "path=mutate-cache", new RegExp(`^error: src/webhooks/cache/v1alpha1/memcached\\.webhook\\.ts:${line}:${col}: @webhook: path "mutate-cache" is not a URL path \\(start it with / `)],
      ["failurePolicy=Fail", "failurePolicy=Sometimes", new RegExp(`^error: src/webhooks/cache/v1alpha1/memcached\\.webhook\\.ts:${line}:\\d+: @webhook: failurePolicy "Sometimes" is not one of Fail, Ignore \\(write failurePolicy=Fail\\)$`)],
    ];
    for (const [from, to, message] of cases) {
      expect(good).toContain(from);
      await writeFile(file, good.replace(from, to));
      await expectRefused(dir, ["manifests"], message);
    }
  });
});

describe("tsop create api for a built-in kind refuses", () => {
  const known = "known \\(all v1\\): core/Pod, core/Service, .*apps/Deployment, .*; for another kind use tsop create api --external --from-crd FILE\\)$";
  it("a kind tsop does not know, with the nearest one and the known ones", async () => {
    await expectRefused(await freshProject(), ["create", "api", "--group", "apps", "--version", "v1", "--kind", "Deploymnt", "--resource=false"], new RegExp(`^error: apps/v1 Deploymnt is not a built-in kind tsop knows \\(did you mean --group apps --version v1 --kind Deployment\\? ${known}`));
    await expectRefused(await freshProject(), ["create", "api", "--group", "core", "--version", "v2", "--kind", "Pod", "--resource=false"], new RegExp(`^error: core/v2 Pod is not a built-in kind tsop knows \\(did you mean --group core --version v1 --kind Pod\\? ${known}`));
    await expectRefused(await freshProject(), ["create", "api", "--group", "policy", "--version", "v1", "--kind", "PodDisruptionBudget", "--resource=false"], new RegExp(`^error: policy/v1 PodDisruptionBudget is not a built-in kind tsop knows \\(${known}`));
  });

  it("a second controller for the same built-in kind without --force", async () => {
    const dir = await freshProject();
    const r = runTsop(dir, ["create", "api", "--group", "", "--version", "v1", "--kind", "ConfigMap", "--resource=false"]);
    expect(r.code, r.stderr).toBe(0);
    await expectRefused(dir, ["create", "api", "--group", "core", "--version", "v1", "--kind", "ConfigMap", "--resource=false"], /^error: the API core\/v1, Kind=ConfigMap already has a controller \(pass --force to scaffold it again\)$/);
  });
});
