// The hostile-input table: every case is a mistake a user can make, and tsop must answer it with
// exit 1, one line `error: [where: ]what (how to fix)`, no stack trace and no file changed.
// Grouped by bug class; add a group (or rows) for every new class found.

/** Where a case runs: an empty directory, or a copy of the scaffolded project (init + one API + manifests). */
export type Base = "empty" | "project";

export interface HostileCase {
  /** Unique, readable name (the test's title). */
  name: string;
  base: Base;
  args: string[];
  /** Files to write (string), directories to make ({ dir: true }) or paths to remove (null) first. */
  files?: Record<string, string | { dir: true } | null>;
  env?: Record<string, string>;
  /** Run in a subdirectory of the case's directory. */
  cwd?: string;
  /** Delete the working directory before the command runs. */
  removeCwd?: boolean;
  /** What the one line must match (after `error: `). */
  error: RegExp;
}

const api = (kind: string, ...extra: string[]): string[] => ["create", "api", "--group", "cache", "--version", "v1", "--kind", kind, ...extra];
const kubeconfig = (server: string): string => [
  "apiVersion: v1", "kind: Config", "current-context: x",
  "clusters:", "- name: c", `  cluster: {server: ${JSON.stringify(server)}, insecure-skip-tls-verify: true}`,
  "users:", "- name: u", "  user: {token: abc}",
  "contexts:", "- name: x", "  context: {cluster: c, user: u}", "",
].join("\n");

const cases: HostileCase[] = [];
const add = (group: string, rows: Omit<HostileCase, "name">[], names?: string[]): void => {
  rows.forEach((r, i) => {
    const name = `${group}: ${names?.[i] ?? JSON.stringify(r.args)}${r.files ? ` with ${Object.keys(r.files).join(",")}` : ""}`;
    const taken = cases.filter((c) => c.name === name || c.name.startsWith(`${name} #`)).length;
    cases.push({ name: taken ? `${name} #${taken + 1}` : name, ...r });
  });
};

// --- lengths: generated names over 63 characters, project names never cut ---
add("lengths", [
  { base: "empty", args: ["init", "--domain", "example.com", "--project-name", "a".repeat(29)], error: /: 29 characters; the Service a{29}-controller-manager-metrics-service would be 64, over Kubernetes' 63, so at most 28 fit \(the longest that fits: --project-name a{28}\)$/ },
  { base: "empty", args: ["init", "--domain", "example.com", "--project-name", "my-very-long-operator-name-for-x"], error: /the longest that fits: --project-name my-very-long-operator-name-f\)$/ },
  { base: "empty", args: ["init", "--domain", "example.com", "--project-name", "abcdefghijklmnopqrstuvwxyz-12"], error: /the longest that fits: --project-name abcdefghijklmnopqrstuvwxyz-1\)$/ },
  { base: "empty", cwd: "an-operator-directory-with-a-long-name", files: { "an-operator-directory-with-a-long-name/": { dir: true } }, args: ["init", "--domain", "example.com"], error: /project name "an-operator-directory-with-a-long-name" \(from the directory name\): 38 characters/ },
  { base: "empty", cwd: "---", files: { "---/": { dir: true } }, args: ["init", "--domain", "example.com"], error: /the directory name gives an empty project name/ },
  { base: "empty", args: ["init", "--domain", `${"a".repeat(64)}.com`], error: /invalid domain .*the label "a{20}…" has 64 characters, at most 63/ },
  { base: "project", args: ["create", "api", "--group", "a".repeat(64), "--version", "v1", "--kind", "Foo"], error: /invalid group .*has 64 characters, at most 63/ },
  { base: "project", args: ["create", "api", "--group", `x.${"b".repeat(70)}`, "--version", "v1", "--kind", "Foo"], error: /invalid group .*has 70 characters/ },
  { base: "project", args: api("Foo", "--plural", "f".repeat(64)), error: /invalid plural/ },
]);

// --- values with line breaks stay on one line ---
add("one line", [
  { base: "empty", args: ["init", "--domain", "example.com", "--project-name", "op\nx"], error: /invalid project name "op\\nx"/ },
  { base: "empty", args: ["init", "--domain", "example.com", "--repo", "x\ny"], error: /invalid repo "x\\ny"/ },
  { base: "empty", args: ["init", "--domain", "exa\r\nmple.com"], error: /invalid domain "exa\\r\\nmple\.com"/ },
  { base: "project", args: api("Foo\nBar"), error: /invalid kind "Foo\\nBar"/ },
  { base: "project", args: ["create", "api", "--group", "ca\nche", "--version", "v1", "--kind", "Foo"], error: /invalid group/ },
]);

// --- init flags ---
const badProjectNames = ["My_Op", "-op", "op-", "op.name", "op name", "ÜBER", "a".repeat(64), "", "op/x", "..", "op_x", "OP"];
add("init --project-name", badProjectNames.map((v) => ({ base: "empty", args: ["init", "--domain", "example.com", "--project-name", v], error: /invalid project name|project name/ })), badProjectNames.map((v) => JSON.stringify(v.length > 20 ? `${v.slice(0, 8)}…(${v.length})` : v)));
const badDomains = ["Example.COM", "example..com", "-example.com", "example.com-", "exa mple.com", "example_com.io", ".example.com", "example.com.", "ex/ample.com", "example.com:80", "http://example.com"];
add("init --domain", badDomains.map((v) => ({ base: "empty", args: ["init", "--domain", v], error: /invalid domain/ })));
const badRepos = ["has space", "a\tb", "\"quoted\"", "", "$(id)", "`id`", "a;b", "-leading"];
add("init --repo", badRepos.map((v) => ({ base: "empty", args: ["init", "--domain", "example.com", "--repo", v], error: /invalid repo/ })));
add("init flags", [
  { base: "empty", args: ["init", "--license", "mit"], error: /--license/ },
  { base: "empty", args: ["init", "--frobnicate"], error: /unknown option '--frobnicate'/ },
  { base: "empty", args: ["init", "--domain"], error: /--domain/ },
  { base: "project", args: ["init", "--domain", "example.com"], error: /PROJECT/ },
  { base: "empty", files: { "notes.txt": "mine" }, args: ["init", "--domain", "example.com"], error: /not empty: notes\.txt/ },
]);

// --- create api flags ---
const badKinds = ["memcached", "Mem-cached", "Mem cached", "Mem_cached", "1Memcached", "Memcached!", "", "M".repeat(64), "Mem.cached", "Ünicode"];
add("create api --kind", badKinds.map((k) => ({ base: "project", args: api(k), error: /kind/ })));
const badGroups = ["Cache", "ca che", "cache_x", "-cache", "cache-", "ca..che", "cache/x", "", "cache.example.com"];
add("create api --group", badGroups.map((g) => ({ base: "project", args: ["create", "api", "--group", g, "--version", "v1", "--kind", "Foo"], error: /group/ })));
const badVersions = ["v1.0", "1", "V1", "v", "v1alpha", "v1beta1x", "v0", "version1", "v1-alpha1", "", "v1 ", "v01"];
add("create api --version", badVersions.map((v) => ({ base: "project", args: ["create", "api", "--group", "cache", "--version", v, "--kind", "Foo"], error: /version/ })));
const badPlurals = ["Foos", "foo s", "foo_s", "foos!", "-foos", "foos.x"];
add("create api --plural", badPlurals.map((p) => ({ base: "project", args: api("Foo", "--plural", p), error: /plural/ })));
add("create api flags", [
  { base: "project", args: ["create", "api", "--group", "cache", "--version", "v1"], error: /required option '--kind/ },
  { base: "project", args: ["create", "api", "--version", "v1", "--kind", "Foo"], error: /--group/ },
  { base: "project", args: api("Foo", "--namespaced=maybe"), error: /--namespaced/ },
  { base: "project", args: api("Foo", "--resource=yes"), error: /--resource/ },
  { base: "project", args: api("Foo", "--controller=2"), error: /--controller/ },
  { base: "project", args: api("Foo", "--bogus"), error: /unknown option '--bogus'/ },
  { base: "project", args: api("Foo", "--resource=false", "--controller=false"), error: /both --resource=false and --controller=false/ },
  { base: "project", args: ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"], error: /already exists in PROJECT/ },
  { base: "project", args: ["create", "apx"], error: /unknown command 'create apx'/ },
  { base: "project", args: ["create", "api", "--grop", "cache"], error: /did you mean --group/ },
  { base: "project", args: ["crate", "api"], error: /did you mean create/ },
  { base: "empty", args: api("Foo"), error: /no PROJECT file here/ },
  { base: "project", args: ["create", "api", "--external"], error: /--external needs --from-crd/ },
  { base: "project", args: ["create", "api", "--external", "--from-crd", "nope.yaml"], error: /cannot read the CRD file nope\.yaml/ },
  { base: "project", args: ["create", "api", "--external", "--from-crd", "PROJECT"], error: /no apiextensions\.k8s\.io\/v1 CustomResourceDefinition/ },
  { base: "project", files: { "src/api/cache/v1/foo.ts": "// mine\n" }, args: api("Foo"), error: /^src\/api\/cache\/v1\/foo\.ts: file exists with other content/ },
]);

// --- filesystem conditions (class: ENOTDIR, EISDIR, deleted cwd, kubeconfig directory, bad server URL) ---
add("filesystem", [
  { base: "project", files: { "config/crd": "a file where a directory belongs\n" }, args: api("Foo"), error: /^config\/crd\/kustomization\.yaml: a part of this path is a file, not a directory .*\[ENOTDIR\] \(move the file away/ },
  { base: "project", files: { "src/api": "file\n" }, args: api("Foo"), error: /src\/api.*\[ENOTDIR\]|src\/api/ },
  { base: "project", files: { "src/main.ts": null, "src/main.ts/": { dir: true } }, args: api("Foo"), error: /src\/main\.ts.*(directory|EISDIR)/ },
  { base: "project", files: { "PROJECT": null, "PROJECT/": { dir: true } }, args: api("Foo"), error: /PROJECT.*(directory|EISDIR)/ },
  { base: "project", files: { "PROJECT": null, "PROJECT/": { dir: true } }, args: ["manifests"], error: /PROJECT.*(directory|EISDIR)/ },
  { base: "empty", removeCwd: true, args: ["init", "--domain", "example.com"], error: /^the working directory no longer exists .*\(cd into an existing directory/ },
  { base: "project", removeCwd: true, args: api("Foo"), error: /^the working directory no longer exists/ },
  { base: "project", removeCwd: true, args: ["manifests"], error: /^the working directory no longer exists/ },
  { base: "project", files: { "kc/": { dir: true } }, args: ["install", "--kubeconfig", "kc"], error: /kc: the kubeconfig path is a directory, not a file \(pass the path of a kubeconfig file/ },
  { base: "project", files: { "kc/": { dir: true } }, args: ["uninstall", "--kubeconfig", "kc"], error: /kc: the kubeconfig path is a directory/ },
  { base: "project", files: { "kc/": { dir: true } }, args: ["deploy", "--kubeconfig", "kc"], error: /kc: the kubeconfig path is a directory/ },
  { base: "project", files: { "kc/": { dir: true } }, env: { KUBECONFIG: "kc" }, args: ["install"], error: /kc: the kubeconfig path is a directory/ },
  ...["ht tp://bad url", "https://[::1", "not a url", "ftp://127.0.0.1:6443", "127.0.0.1:6443", "https://"].map((server) => ({
    base: "project" as const, files: { "kc.yaml": kubeconfig(server) }, args: ["install", "--kubeconfig", "kc.yaml"], error: /kc\.yaml: cluster "c" has a server that is not an http\(s\) URL/,
  })),
]);

// --- kubeconfig and cluster flags ---
add("kubeconfig", [
  { base: "project", args: ["install", "--kubeconfig", "missing.yaml"], error: /missing\.yaml does not exist/ },
  { base: "project", files: { "kc.yaml": "apiVersion: v1\nclusters: [\n" }, args: ["install", "--kubeconfig", "kc.yaml"], error: /kc\.yaml:3:1: invalid YAML in kubeconfig/ },
  { base: "project", files: { "kc.yaml": "apiVersion: v1\nkind: Config\n" }, args: ["install", "--kubeconfig", "kc.yaml"], error: /no current-context/ },
  { base: "project", files: { "kc.yaml": "- a\n- b\n" }, args: ["install", "--kubeconfig", "kc.yaml"], error: /not a YAML mapping/ },
  { base: "project", files: { "kc.yaml": "clusters: 3\ncurrent-context: x\n" }, args: ["install", "--kubeconfig", "kc.yaml"], error: /clusters` must be a list/ },
  { base: "project", files: { "kc.yaml": kubeconfig("https://127.0.0.1:1") }, args: ["install", "--kubeconfig", "kc.yaml", "--context", "prod"], error: /context "prod" not found/ },
  { base: "project", files: { "kc.yaml": kubeconfig("https://127.0.0.1:1") }, args: ["install", "--kubeconfig", "kc.yaml"], error: /cannot reach the cluster at https:\/\/127\.0\.0\.1:1: ECONNREFUSED/ },
  { base: "project", files: { "kc.yaml": kubeconfig("https://127.0.0.1:1") }, args: ["uninstall", "--kubeconfig", "kc.yaml"], error: /cannot reach the cluster/ },
]);

// --- PROJECT file ---
add("PROJECT", [
  { base: "project", files: { PROJECT: "layout: tsop.dev/v1\ndomain: [unclosed\n" }, args: api("Foo"), error: /^PROJECT:\d+: .*YAML syntax error/ },
  { base: "project", files: { PROJECT: "layout: tsop.dev/v1\ndomain: example.com\nrepo: r\nprojectName: op\nresources: {}\n" }, args: api("Foo"), error: /resources must be a list/ },
  { base: "project", files: { PROJECT: "" }, args: api("Foo"), error: /PROJECT/ },
  { base: "project", files: { PROJECT: "[]\n" }, args: ["manifests"], error: /PROJECT/ },
]);

// --- PROJECT validated like user input: never read or write outside the project ---
const projectText = (resource: Record<string, string>, top: Record<string, string> = {}): string => {
  const t = { version: '"3"', layout: "tsop.dev/v1", domain: "example.com", repo: "op", projectName: "op", ...top };
  const r = { group: "cache", domain: "example.com", version: "v1alpha1", kind: "Memcached", plural: "memcacheds", path: "src/api/cache/v1alpha1/memcached.ts", ...resource };
  return Object.entries(t).map(([k, v]) => `${k}: ${v}\n`).join("") + "resources:\n" + Object.entries(r).map(([k, v], i) => `${i === 0 ? "  - " : "    "}${k}: ${v}\n`).join("");
};
const badProjects: [string, string, RegExp][] = [
  ["path ..", projectText({ path: "src/../../outside.ts" }), /resources\[0\]\.path "src\/\.\.\/\.\.\/outside\.ts" must be a relative \.ts file under src\//],
  ["path absolute", projectText({ path: "/etc/passwd.ts" }), /resources\[0\]\.path "\/etc\/passwd\.ts"/],
  ["path outside src", projectText({ path: "config/x.ts" }), /resources\[0\]\.path "config\/x\.ts"/],
  ["path not .ts", projectText({ path: "src/api/x.js" }), /resources\[0\]\.path/],
  ["path with .", projectText({ path: "src/./api/x.ts" }), /resources\[0\]\.path/],
  ["path backslash ..", projectText({ path: "src\\..\\..\\x.ts" }), /resources\[0\]\.path/],
  ["kind ..", projectText({ kind: "../Evil" }), /resources\[0\]\.kind: invalid kind/],
  ["kind lower", projectText({ kind: "memcached" }), /resources\[0\]\.kind: invalid kind/],
  ["group with slash", projectText({ group: "../x" }), /resources\[0\]\.group: invalid group/],
  ["version bad", projectText({ version: "v1.0" }), /resources\[0\]\.version: invalid version/],
  ["plural bad", projectText({ plural: "../x" }), /resources\[0\]\.plural: invalid plural/],
  ["domain bad", projectText({ domain: "Example.com" }), /resources\[0\]\.domain: invalid domain/],
  ["unknown version", projectText({}, { version: '"4"' }), /version "4" is not "3"/],
  ["version 2", projectText({}, { version: '"2"' }), /version "2" is not "3"/],
  ["top domain bad", projectText({}, { domain: "bad_domain" }), /domain: invalid domain/],
  ["repo bad", projectText({}, { repo: '"a b"' }), /repo: invalid repo/],
  ["projectName ..", projectText({}, { projectName: '".."' }), /projectName "\.\." must be a DNS label/],
  ["projectName slash", projectText({}, { projectName: "a/b" }), /projectName "a\/b"/],
  ["layout other", projectText({}, { layout: "go.kubebuilder.io/v4" }), /layout "go\.kubebuilder\.io\/v4" is not tsop\.dev\/v1/],
];
for (const cmd of [api("Foo"), ["manifests"], ["install", "--dry-run"], ["build-installer"]]) {
  add(`PROJECT ${cmd[0]}`, badProjects.map(([, text, re]) => ({ base: "project", files: { PROJECT: text }, args: cmd, error: new RegExp(`^PROJECT: PROJECT is not a valid tsop project file: ${re.source}`) })), badProjects.map(([n]) => n));
}

// --- names that collide with another kind of the group (base project: Memcached/memcacheds in cache.example.com) ---
const inCache = (kind: string, ...extra: string[]): string[] => ["create", "api", "--group", "cache", "--version", "v1", "--kind", kind, ...extra];
add("collisions", [
  { base: "project", args: inCache("Memcache", "--plural", "memcacheds"), error: /^plural "memcacheds" is already the plural of kind Memcached \(memcacheds\.cache\.example\.com\) in group cache\.example\.com \(pick another/ },
  { base: "project", args: inCache("Other", "--plural", "memcacheds"), error: /plural "memcacheds" is already the plural of kind Memcached/ },
  { base: "project", args: inCache("MemCached"), error: /kind MemCached differs from kind Memcached .* only in case/ },
  { base: "project", args: inCache("MEMCACHED"), error: /only in case/ },
  { base: "project", args: inCache("MemcachedList"), error: /kind MemcachedList is the list kind of kind Memcached/ },
  { base: "project", args: inCache("Foo", "--plural", "memcached"), error: /is a name of kind Memcached/ },
  { base: "project", args: ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "MemcachedList", "--controller=false"], error: /list kind/ },
  { base: "project", files: { PROJECT: projectText({ kind: "FooList", plural: "foolists", path: "src/api/cache/v1alpha1/foolist.ts" }) }, args: inCache("Foo"), error: /the list kind FooList would be kind FooList/ },
]);

// --- protected groups: *.k8s.io and *.kubernetes.io need an approved API review ---
add("protected groups", ["k8s.io", "x-k8s.io.k8s.io", "sigs.k8s.io", "kubernetes.io", "apps.kubernetes.io"].map((domain) => ({
  base: "project" as const, files: { PROJECT: projectText({}, { domain }) }, args: inCache("Foo"), error: /API group cache\..* is protected: .*api-approved\.kubernetes\.io .*\(use a domain you own/,
})), ["k8s.io", "x-k8s.io.k8s.io", "sigs.k8s.io", "kubernetes.io", "apps.kubernetes.io"]);

// --- every command: unknown options and stray arguments ---
const commands = [["init"], ["create", "api"], ["manifests"], ["run"], ["install"], ["uninstall"], ["deploy"], ["undeploy"], ["build-installer"], ["docker-build"], ["envtest", "start"], ["alpha", "generate"], ["bundle"], ["bundle", "validate"]];
add("unknown option", commands.map((c) => ({ base: "project", args: [...c, "--frobnicate"], error: /unknown option '--frobnicate'/ })));

// --- manifests, install and friends ---
add("commands", [
  { base: "project", args: ["manifests", "--max-description-length", "-3"], error: /--max-description-length/ },
  { base: "project", args: ["manifests", "--max-description-length", "x"], error: /--max-description-length/ },
  { base: "project", args: ["envtest", "strat"], error: /did you mean start/ },
  { base: "project", args: ["envtest", "start", "--kubeconfig", "no/such/dir/kc.yaml"], error: /its directory does not exist/ },
  { base: "project", files: { "bad.yaml": "kind: [\n" }, args: ["envtest", "start", "--crd-dir", "bad.yaml"], error: /^bad\.yaml:2:1: cannot parse YAML/ },
  { base: "project", files: { "config/crd/bases": null }, args: ["install"], error: /the CRD file is missing/ },
  { base: "project", files: { "config/crd/bases": null }, args: ["build-installer"], error: /the CRD file is missing/ },
  { base: "project", args: ["build-installer", "--img", "Quay.io/ACME/op:v1"], error: /is not a valid image reference/ },
  { base: "project", args: ["build-installer", "--img", "op:"], error: /image reference/ },
  { base: "project", args: ["build-installer", "--img", "op:v1 ; rm -rf /"], error: /image reference/ },
  { base: "empty", args: ["run"], error: /no PROJECT file here/ },
  { base: "empty", args: ["manifests"], error: /no PROJECT file here/ },
  { base: "empty", args: ["install"], error: /no PROJECT file here/ },
  { base: "project", args: ["run", "--no-install"], error: /dependencies are not installed/ },
]);

// --- API files: syntax errors, imports of missing files or names (the base project's Memcached) ---
const apiPath = "src/api/cache/v1alpha1/memcached.ts";
/** The base project's API file with `spec` as MemcachedSpec's body and `head` after the tsop/types import. */
const apiFile = (spec: string, head = ""): string => `import { defineKind, type Int32, type Int64, type ObjectMeta } from "tsop/types";
${head}
export interface MemcachedSpec {
${spec}
}

/**
 * @scope Namespaced
 * @plural memcacheds
 */
export interface Memcached {
  apiVersion?: "cache.example.com/v1alpha1";
  kind?: "Memcached";
  metadata?: ObjectMeta;
  spec?: MemcachedSpec;
}

export const Memcached = defineKind<Memcached>({ group: "cache.example.com", version: "v1alpha1", kind: "Memcached", plural: "memcacheds", namespaced: true });
`;
const apiCase = (name: string, spec: string, error: RegExp, head = "", more: Record<string, string> = {}): [string, Omit<HostileCase, "name">] =>
  [name, { base: "project", files: { [apiPath]: apiFile(spec, head), ...more }, args: ["manifests"], error }];
const addApi = (group: string, rows: [string, Omit<HostileCase, "name">][]): void => add(group, rows.map(([, r]) => r), rows.map(([n]) => n));
const sibling = (name: string): string => `src/api/cache/v1alpha1/${name}`;

addApi("API syntax", [
  apiCase("unclosed type argument", "  bar?: Array<string;", /^src\/api\/cache\/v1alpha1\/memcached\.ts:4:21: TypeScript syntax error: '>' expected\. \(TS1005\) \(fix the syntax/),
  apiCase("missing type", "  bar: ;", /^src\/api\/cache\/v1alpha1\/memcached\.ts:4:8: TypeScript syntax error: Type expected/),
  apiCase("unclosed interface", "  bar?: string;\n  baz?: {", /memcached\.ts:12:1: TypeScript syntax error: Property or signature expected/),
  apiCase("stray tokens", "  bar?: string;;;\n  @@", /memcached\.ts:4:16: TypeScript syntax error: Property or signature expected\. \(TS1131\) \(fix the syntax; 5 more in this file may follow from it;/),
  apiCase("unterminated string literal type", '  mode?: "fast | "slow";', /memcached\.ts:4:19: TypeScript syntax error: ';' expected/),
  apiCase("unterminated comment", "  /** the size\n  size?: Int32;", /memcached\.ts:12:1: TypeScript syntax error/),
  apiCase("syntax error in an imported file", "  bar?: Foo;", /^src\/api\/cache\/v1alpha1\/foo\.ts:1:34: TypeScript syntax error: '}' expected/, 'import type { Foo } from "./foo.js";', { [sibling("foo.ts")]: "export interface Foo { a: string " }),
]);

addApi("API imports", [
  apiCase("missing file", "  bar?: Foo;", /^src\/api\/cache\/v1alpha1\/memcached\.ts:2:26: cannot find module '\.\/foo\.js' \(create foo\.ts or fix the path/, 'import type { Foo } from "./foo.js";'),
  apiCase("misspelt file", "  bar?: Foo;", /memcached\.ts:2:26: cannot find module '\.\/fooo\.js' \(did you mean '\.\/foo\.js'\?\)$/, 'import type { Foo } from "./fooo.js";', { [sibling("foo.ts")]: "export interface Foo { a: string }\n" }),
  apiCase("missing directory", "  bar?: Foo;", /memcached\.ts:2:26: cannot find module '\.\.\/x\/foo\.js' \(the directory \.\.\/x does not exist/, 'import type { Foo } from "../x/foo.js";'),
  apiCase("missing name", "  bar?: Foo;", /memcached\.ts:2:15: '\.\/foo\.js' has no exported member 'Foo' \(did you mean 'Fo'\?\)$/, 'import type { Foo } from "./foo.js";', { [sibling("foo.ts")]: "export interface Fo { a: string }\n" }),
  apiCase("missing name, unused", "  bar?: string;", /memcached\.ts:2:15: '\.\/foo\.js' has no exported member 'Quux' \(it exports: Foo\)$/, 'import type { Quux } from "./foo.js";', { [sibling("foo.ts")]: "export interface Foo { a: string }\n" }),
  apiCase("no default export", "  bar?: Foo;", /memcached\.ts:2:8: '\.\/foo\.js' has no default export/, 'import Foo from "./foo.js";', { [sibling("foo.ts")]: "export interface Foo { a: string }\n" }),
  apiCase("extensionless import", "  bar?: Foo;", /memcached\.ts:2:26: the import '\.\/foo' needs a file extension in an ES module \(write '\.\/foo\.js'/, 'import type { Foo } from "./foo";', { [sibling("foo.ts")]: "export interface Foo { a: string }\n" }),
  apiCase("directory import", "  bar?: Foo;", /the import '\.\/sub' needs a file extension in an ES module \(write '\.\/sub\/index\.js'/, 'import type { Foo } from "./sub";', { [sibling("sub/index.ts")]: "export interface Foo { a: string }\n" }),
  apiCase(".ts import", "  bar?: Foo;", /the import '\.\/foo\.ts' names the \.ts file \(write '\.\/foo\.js'/, 'import type { Foo } from "./foo.ts";', { [sibling("foo.ts")]: "export interface Foo { a: string }\n" }),
  apiCase("re-export of a missing name", "  bar?: Foo;", /^src\/api\/cache\/v1alpha1\/foo\.ts:1:10: '\.\/bar\.js' has no exported member 'Gone'/, 'import type { Foo } from "./foo.js";', { [sibling("foo.ts")]: 'export { Gone } from "./bar.js";\nexport interface Foo { a: string }\n', [sibling("bar.ts")]: "export interface Here { a: string }\n" }),
  apiCase("package not installed", "  bar?: Pod;", /memcached\.ts:2:26: cannot find module 'kubernetes-types\/core\/v1\.js', which Pod is imported from \(install the package with npm install, fix the module name/, 'import type { Pod } from "kubernetes-types/core/v1.js";'),
  apiCase("misspelt package, namespace import", "  bar?: k.Pod;", /memcached\.ts:2:25: cannot find module 'kubernetes-typez', which k\.Pod is imported from/, 'import type * as k from "kubernetes-typez";'),
  apiCase("import in an imported file", "  bar?: Foo;", /^src\/api\/cache\/v1alpha1\/foo\.ts:1:26: cannot find module '\.\/baz\.js' \(create baz\.ts/, 'import type { Foo } from "./foo.js";', { [sibling("foo.ts")]: 'import type { Baz } from "./baz.js";\nexport interface Foo { a: Baz }\n' }),
]);

// --- alpha generate: bad directories, no or corrupt PROJECT, unknown subcommands (nothing written) ---
add("alpha generate", [
  { base: "empty", args: ["alpha"], error: /^tsop alpha needs a subcommand \(the subcommand is tsop alpha generate; see tsop alpha --help\)$/ },
  { base: "project", args: ["alpha", "generat"], error: /^unknown command 'alpha generat' \(did you mean tsop alpha generate\?\)$/ },
  { base: "empty", args: ["alpha", "generate"], error: /^no PROJECT file here: this is not a tsop project/ },
  { base: "project", args: ["alpha", "generate", "--input-dir", "nope"], error: /^--input-dir nope does not exist \(pass the directory of a tsop project/ },
  { base: "project", args: ["alpha", "generate", "--input-dir", "PROJECT"], error: /^--input-dir PROJECT is not a directory/ },
  { base: "project", args: ["alpha", "generate", "--output-dir", "PROJECT"], error: /^--output-dir \/.*\/PROJECT is a file \(pass a new or empty directory\)$/ },
  { base: "project", args: ["alpha", "generate", "--output-dir", "next"], files: { "next/keep.txt": "mine" }, error: /^--output-dir \/.*\/next is not empty \(pass a new or empty directory, or --force to write into it\)$/ },
  { base: "project", args: ["alpha", "generate"], files: { PROJECT: "layout: go.kubebuilder.io/v4\n" }, error: /^PROJECT: PROJECT is not a valid tsop project file: layout "go.kubebuilder.io\/v4" is not tsop.dev\/v1/ },
  { base: "project", args: ["alpha", "generate", "--output-dir"], error: /^option '--output-dir <dir>' argument missing \(run the command with --help to see its options and arguments\)$/ },
  {
    base: "project", args: ["alpha", "generate"], files: { PROJECT: projectText({ group: "parts", domain: "acme.io", version: "v1", kind: "Widget", plural: "widgets", path: "src/api/parts.acme.io/v1/widget.ts", crd: "false" }) },
    error: /^scaffolding again failed at `tsop create api --external --from-crd \/.*\/test\/crds\/parts\.acme\.io_widgets\.yaml --version v1 --controller=true`: cannot read the CRD file .* \(fix PROJECT or the file named, then run tsop alpha generate again\)$/,
  },
]);

const NUM_HINT = /\(use at most 15 significant digits or an integer up to 9007199254740991, or make the field a string with @pattern\)$/;
addApi("API numbers", [
  apiCase("maximum past 2^53 on Int64", "  /** @maximum 9007199254740993 */\n  a?: Int64;", /memcached\.ts:4:16: @maximum 9007199254740993 cannot be held exactly by a JavaScript number \(it would be written as 9007199254740992\) \(use at most 15/),
  apiCase("default past 2^53 on Int64", "  /** @default 9007199254740993 */\n  a?: Int64;", /memcached\.ts:4:16: @default: 9007199254740993 cannot be held exactly/),
  apiCase("minimum past 2^53 on number", "  /** @minimum -9007199254740993 */\n  a?: number;", NUM_HINT),
  apiCase("example past 2^53 in a list", "  /** @example [1, 12345678901234567890] */\n  a?: Int64[];", /@example: 12345678901234567890 cannot be held exactly .*written as 12345678901234567000/),
  apiCase("default with 21 digits of fraction", "  /** @default 1.00000000000000000001 */\n  a?: number;", /@default: 1\.00000000000000000001 cannot be held exactly .*written as 1\)/),
  apiCase("default infinite", "  /** @default 1e400 */\n  a?: number;", /@default: 1e400 is not a finite number/),
  apiCase("literal type past 2^53", "  a?: 9007199254740993;", /memcached\.ts:4:7: the literal type 9007199254740993 cannot be held exactly/),
  apiCase("enum member past 2^53", "  a?: Big;", /memcached\.ts:2:30: enum member B: 9007199254740993 cannot be held exactly/, "export enum Big { A = 1, B = 9007199254740993 }"),
  apiCase("maxLength past 2^53", "  /** @maxLength 9007199254740993 */\n  a?: string;", /@maxLength 9007199254740993 cannot be held exactly .*\(use a smaller count\)$/),
  apiCase("maximum 1e20 on Int32", "  /** @maximum 1e20 */\n  a?: Int32;", /memcached\.ts:4:16: @maximum 1e20 is out of the int32 range \(-2147483648 to 2147483647\) \(use a bound within the range, or Int64 for larger values\)$/),
  apiCase("minimum below int32", "  /** @minimum -3000000000 */\n  a?: Int32;", /@minimum -3000000000 is out of the int32 range/),
  apiCase("default 1e20 on Int32", "  /** @default 1e20 */\n  a?: Int32;", /@default does not match the field's schema: 100000000000000000000 is out of the int32 range/),
  apiCase("example over int32", "  /** @example 2147483648 */\n  a?: Int32;", /@example does not match the field's schema: 2147483648 is out of the int32 range/),
  apiCase("maximum 1e19 on Int64", "  /** @maximum 1e19 */\n  a?: Int64;", /@maximum 1e19 is out of the int64 range \(-9223372036854775808 to 9223372036854775807\) \(use a bound within the range, or a string with @pattern/),
  apiCase("int-or-string default over int32", "  /** @default 3000000000 @intOrString */\n  a?: number | string;", /3000000000 is out of the int-or-string \(int32\) range/),
  apiCase("fraction minimum on Int32", "  /** @minimum 1.5 */\n  a?: Int32;", /@minimum 1\.5 is not an integer, but the field is an integer \(use a whole number\)$/),
  apiCase("fraction default on Int64", "  /** @default 2.5 */\n  a?: Int64;", /@default does not match the field's schema: expected an integer, got 2\.5/),
  apiCase("minimum above maximum", "  /** @minimum 5 @maximum 3 */\n  a?: Int32;", /@minimum 5 is greater than @maximum 3 \(no value could ever be valid; swap or fix the bounds\)$/),
  apiCase("minLength above maxLength", "  /** @minLength 5 @maxLength 3 */\n  a?: string;", /@minLength 5 is greater than @maxLength 3/),
  apiCase("minItems above maxItems", "  /** @minItems 5 @maxItems 3 */\n  a?: string[];", /@minItems 5 is greater than @maxItems 3/),
  apiCase("minProperties above maxProperties", "  /** @minProperties 2 @maxProperties 1 */\n  a?: Record<string, string>;", /@minProperties 2 is greater than @maxProperties 1/),
  apiCase("field minimum above the type's maximum", "  /** @minimum 5 */\n  a?: Small;", /@minimum 5 is greater than @maximum 3 of the type/, "/** @maximum 3 */\ntype Small = Int32;"),
  apiCase("equal bounds, one exclusive", "  /** @minimum 3 @maximum 3 @exclusiveMaximum */\n  a?: Int32;", /@minimum 3 and @maximum 3 @exclusiveMaximum leave no integer \(no value could ever be valid; widen the range or drop an exclusive flag\)$/),
  apiCase("exclusive bounds with no integer between", "  /** @minimum 3 @exclusiveMinimum @maximum 4 @exclusiveMaximum */\n  a?: Int64;", /@minimum 3 @exclusiveMinimum and @maximum 4 @exclusiveMaximum leave no integer/),
  apiCase("exclusive equal bounds on number", "  /** @minimum 0.5 @exclusiveMinimum @maximum 0.5 */\n  a?: number;", /leave no value/),
  apiCase("exclusiveMaximum without maximum", "  /** @exclusiveMaximum */\n  a?: Int32;", /@exclusiveMaximum without @maximum bounds nothing \(add @maximum <n>, or remove @exclusiveMaximum\)$/),
  apiCase("no multiple in range", "  /** @multipleOf 4 @minimum 1 @maximum 3 */\n  a?: Int32;", /no multiple of @multipleOf 4 lies between 1 and 3/),
  apiCase("default above maximum", "  /** @default 7 @maximum 5 */\n  a?: Int32;", /@default does not match the field's schema: 7 is above the maximum 5/),
  apiCase("default below exclusive minimum", "  /** @default 0 @minimum 0 @exclusiveMinimum */\n  a?: Int32;", /@default does not match the field's schema: 0 is below the minimum 0/),
  apiCase("default not in the enum", '  /** @default "c" */\n  a?: "a" | "b";', /@default does not match the field's schema: "c" is not one of "a", "b"/),
  apiCase("default not a multiple", "  /** @default 5 @multipleOf 2 */\n  a?: Int32;", /5 is not a multiple of 2/),
  apiCase("literal above the maximum", "  /** @maximum 5 */\n  a?: 1 | 2 | 10;", /the literal 10 of the type can never be valid: 10 is above the maximum 5 \(remove it from the union or fix the bound\)$/),
  apiCase("literal longer than maxLength", '  /** @maxLength 3 */\n  a?: "ab" | "abcd";', /the literal "abcd" of the type can never be valid: "abcd" is longer than 3/),
  apiCase("literal not matching the pattern", '  /** @pattern ^a */\n  a?: "ab" | "ba";', /the literal "ba" of the type can never be valid: "ba" does not match the pattern \^a/),
  apiCase("template literal with string", "  a?: `a-${string}`;", /memcached\.ts:4:7: the template literal type `a-\$\{string\}` has no finite list of values, so it cannot be an enum \(use string with @pattern \^a-\.\*\$\)$/),
  apiCase("template literal with number", '  a?: `v${number}.${"x" | "y"}`;', /has no finite list of values.*@pattern \^v-\?\[0-9\]\+/),
  apiCase("template literal too large", '  a?: `${L}${L}${L}`;', /stands for 125 strings, too many for an enum \(at most 64\) \(use string with @pattern \^\(a\|b\|c\|d\|e\)/, 'type L = "a" | "b" | "c" | "d" | "e";'),
]);

// --- bundle (OLM): flags, missing prerequisites, a broken base CSV ---
add("bundle", [
  { base: "empty", args: ["bundle"], error: /no PROJECT file here/ },
  { base: "project", files: { "config/crd/bases": null }, args: ["bundle"], error: /^the CRD file is missing: config\/crd\/bases\/cache\.example\.com_memcacheds\.yaml \(run tsop manifests first\)$/ },
  { base: "project", args: ["bundle", "--version", "1.0"], error: /^--version 1\.0 is not a semantic version/ },
  { base: "project", args: ["bundle", "--version", "v0.1.0"], error: /^--version v0\.1\.0 is not a semantic version .*without a leading v/ },
  { base: "project", args: ["bundle", "--version", "01.2.3"], error: /is not a semantic version/ },
  { base: "project", args: ["bundle", "--version", "1.0.0+build.5"], error: /^--version 1\.0\.0\+build\.5 cannot be part of the CSV name op\.v1\.0\.0\+build\.5/ },
  { base: "project", args: ["bundle", "--version", "1.0.0-RC1"], error: /cannot be part of the CSV name/ },
  { base: "project", args: ["bundle", "--channels", ""], error: /^--channels : an empty channel name/ },
  { base: "project", args: ["bundle", "--channels", "stable,,fast"], error: /an empty channel name/ },
  { base: "project", args: ["bundle", "--channels", "stable fast"], error: /channel name "stable fast" is not valid/ },
  { base: "project", args: ["bundle", "--channels", "-stable"], error: /channel name "-stable" is not valid/ },
  { base: "project", args: ["bundle", "--channels", "stable,stable"], error: /names a channel twice/ },
  { base: "project", args: ["bundle", "--channels", "stable,fast", "--default-channel", "alpha"], error: /^--default-channel alpha is not one of the channels \(stable,fast\)/ },
  { base: "project", args: ["bundle", "--default-channel", "stable"], error: /--default-channel stable is not one of the channels \(alpha\)/ },
  { base: "project", args: ["bundle", "--package", "My_Operator"], error: /^--package My_Operator is not a valid package name/ },
  { base: "project", args: ["bundle", "--img", "op:"], error: /image reference/ },
  { base: "project", args: ["bundle", "--validate", "--select-optional", "nope"], error: /^--select-optional nope: unknown validator "nope" \(choose from good-practices, operatorhub, deprecated-apis\)$/ },
  { base: "project", files: { "config/manifests/bases/op.clusterserviceversion.yaml": "kind: [\n" }, args: ["bundle"], error: /^config\/manifests\/bases\/op\.clusterserviceversion\.yaml: is not a ClusterServiceVersion in YAML/ },
  { base: "project", files: { "config/manifests/bases/op.clusterserviceversion.yaml": "kind: Deployment\n" }, args: ["bundle"], error: /is not a ClusterServiceVersion/ },
  { base: "project", args: ["bundle", "validate", "no/such/bundle"], error: /^no\/such\/bundle is not a directory \(run tsop bundle first/ },
  { base: "project", args: ["bundle", "validate"], error: /^bundle is not a directory/ },
  { base: "project", args: ["bundle", "validate", ".", "--select-optional", "operatorhub,x"], error: /unknown validator "x"/ },
]);

// --- @rbac tags on controllers: what the apiserver refuses, or rules that match nothing ---
const rbacCase = (tag: string, error: RegExp): Omit<HostileCase, "name"> => ({ base: "project", files: { "src/controllers/extra.controller.ts": `/**\n * @rbac ${tag}\n */\nexport class Extra {}\n` }, args: ["manifests"], error });
const rbacRows: [string, RegExp][] = [
  ["groups=apps resources=deployments verbs=get namespace=Kube_System", /^src\/controllers\/extra\.controller\.ts:2:54: @rbac: namespace "Kube_System" is not a valid namespace name \(a namespace is a DNS label/],
  ["groups=apps resources=deployments verbs=get namespace=ops.team", /namespace "ops\.team" is not a valid namespace name/],
  ["groups=apps resources=deployments verbs=get namespace=", /namespace= needs a value/],
  ["urls=/metrics verbs=get namespace=ops", /^src\/controllers\/extra\.controller\.ts:2:34: @rbac: urls= cannot be used with namespace= \(non-resource URLs are cluster-wide: a Role cannot hold them; drop namespace=\)$/],
  ["urls=/metrics groups=apps resources=deployments verbs=get", /urls= cannot be combined with resources= in one rule \(the apiserver refuses a rule for both resources and non-resource URLs; write two @rbac tags\)$/],
  ["urls=/metrics groups=apps verbs=get", /urls= cannot be combined with groups=/],
  ["urls=metrics verbs=get", /url "metrics" must be a path starting with \//],
  ["urls=/metrics verbs=watch", /watch is not a verb of non-resource URLs \(verbs for non-resource URLs: get, post, put, patch, delete, head, options, \*\)$/],
  ["groups=apps resources=deployment verbs=get", /^src\/controllers\/extra\.controller\.ts:2:22: @rbac: resources=deployment matches nothing: RBAC names kind Deployment by its lower-case plural deployments \(write resources=deployments\)$/],
  ["groups=apps resources=Deployments verbs=get", /resources=Deployments matches nothing.*\(write resources=deployments\)$/],
  ["groups=cache.example.com resources=memcached verbs=get", /resources=memcached matches nothing: RBAC names kind Memcached by its lower-case plural memcacheds/],
  ["groups=cache.example.com resources=memcached/status verbs=get", /write resources=memcacheds\/status/],
  ["groups=core resources=pod verbs=get", /resources=pod matches nothing.*plural pods/],
  ["groups=example.org resources=Widgets verbs=get", /resource "Widgets" is not a lower-case resource name \(RBAC names resources by their lower-case plural: did you mean widgets\?\)$/],
  ["groups=Apps resources=deployments verbs=get", /group "Apps" is not a valid API group/],
  ["groups=apps resources=deployments verbs=frob", /unknown verb frob \(verbs for resources: get, list, watch/],
  ["groups=apps resources=deployments verbs=Get", /unknown verb Get \(did you mean get\?\)$/],
  ["groups=apps resources=deployments verbs=post", /post is not a verb of resources \(did you mean create\?\)$/],
  ["groups=apps resources= verbs=get", /resources= is empty \(name the plural resources/],
  ["groups=apps resources=deployments resourceNames= verbs=get", /resourceNames= is empty/],
  ["groups=apps resources=deployments verbs=", /verbs= is empty/],
  ["urls= verbs=get", /urls= is empty/],
];
add("@rbac", rbacRows.map(([tag, error]) => rbacCase(tag, error)), rbacRows.map(([tag]) => tag));
add("@rbac placement", [
  { base: "project", files: { "src/controllers/extra.controller.ts": "export class Extra {\n  /** @rbac groups=apps resources=deployments verbs=get */\n  reconcile(): void {}\n}\n" }, args: ["manifests"], error: /^src\/controllers\/extra\.controller\.ts:2:7: @rbac is read only from the JSDoc of a controller class \(move the tag into the comment right above the class declaration\)$/ },
  { base: "project", files: { "src/controllers/extra.controller.ts": "/**\n * @rbac groups=apps resources=deployments verbs=get\nexport class Extra {}\n" }, args: ["manifests"], error: /^src\/controllers\/extra\.controller\.ts:1:1: this JSDoc comment is never closed, so its @rbac tags would be lost/ },
], ["on a method", "in a comment never closed"]);
add("@rbac namespaced project", [{ base: "project", files: { PROJECT: projectText({}, { namespaced: "true" }), "src/controllers/extra.controller.ts": "/**\n * @rbac urls=/metrics verbs=get\n */\nexport class Extra {}\n" }, args: ["manifests"], error: /@rbac: urls= in a namespaced project \(with init --namespaced every rule goes into a Role/ }], ["urls= with init --namespaced"]);

// --- boolean flags: one shape everywhere (--flag, --flag=true|false, --no-flag), other values refused ---
const boolError = (flag: string): RegExp => new RegExp(`^option '--${flag} \\[bool\\]' argument '.*' is invalid\\. must be true or false \\(write --${flag}, --${flag}=true, --${flag}=false or --no-${flag}\\)\\.$`);
add("boolean flags", [
  { base: "empty", args: ["init", "--domain", "example.com", "--namespaced=maybe"], error: boolError("namespaced") },
  { base: "empty", args: ["init", "--domain", "example.com", "--namespaced=yes"], error: boolError("namespaced") },
  { base: "empty", args: ["init", "--domain", "example.com", "--namespaced=1"], error: boolError("namespaced") },
  { base: "empty", args: ["init", "--domain", "example.com", "--namespaced=TRUE"], error: boolError("namespaced") },
  { base: "empty", args: ["init", "--domain", "example.com", "--namespaced="], error: boolError("namespaced") },
  { base: "project", args: api("Foo", "--resource=no"), error: boolError("resource") },
  { base: "project", args: api("Foo", "--controller=on"), error: boolError("controller") },
  { base: "project", args: api("Foo", "--namespaced=False"), error: boolError("namespaced") },
  { base: "project", args: ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--defaulting=2"], error: boolError("defaulting") },
  { base: "project", args: ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--programmatic-validation=y"], error: boolError("programmatic-validation") },
  { base: "project", args: ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--conversion=yes"], error: boolError("conversion") },
  { base: "project", args: ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--no-defaulting"], error: /no webhook/ },
]);

// --- values that land in generated code: --owner is one line of text (escaped per target elsewhere) ---
add("init --owner", ["The\nAuthors", "a\tb", "bell\u0007", "cr\rx", "line\u2028sep", "x".repeat(201)].map((owner) => ({
  base: "empty" as const, args: ["init", "--domain", "example.com", "--project-name", "op", "--owner", owner], error: /^invalid owner[ :].*(control character U\+[0-9A-F]{4}; the owner is one line of a license header|201 characters, at most 200) \(valid: --owner "The Memcached Authors"\)$/,
})), ["line break", "tab", "bell", "carriage return", "line separator", "201 characters"]);

// --- init --domain that makes every group protected ---
add("init protected domain", ["k8s.io", "sigs.k8s.io", "kubernetes.io", "apps.kubernetes.io", "a.b.k8s.io"].map((domain) => ({
  base: "empty" as const, args: ["init", "--domain", domain, "--project-name", "op"], error: /^invalid domain ".*": every API group of the project \(<group>\..*\) would be protected; .*api-approved\.kubernetes\.io.* \(use a domain you own, e\.g\. --domain example\.com/,
})), ["k8s.io", "sigs.k8s.io", "kubernetes.io", "apps.kubernetes.io", "a.b.k8s.io"]);

// --- names an external CRD brings are checked like the flags they replace (they land in paths and code) ---
const crd = (o: { group?: string; kind?: string; plural?: string; version?: string } = {}): string => [
  "apiVersion: apiextensions.k8s.io/v1", "kind: CustomResourceDefinition", "metadata: {name: widgets.ext.example.org}", "spec:",
  `  group: ${JSON.stringify(o.group ?? "ext.example.org")}`, "  scope: Namespaced",
  `  names: {kind: ${JSON.stringify(o.kind ?? "Widget")}, plural: ${JSON.stringify(o.plural ?? "widgets")}, singular: widget, listKind: WidgetList}`,
  "  versions:", `  - name: ${JSON.stringify(o.version ?? "v1")}`, "    served: true", "    storage: true",
  "    schema: {openAPIV3Schema: {type: object}}", "",
].join("\n");
const badCrds: [string, Parameters<typeof crd>[0], RegExp][] = [
  ["version ..", { version: "../../x" }, /^crd\.yaml: spec\.versions\[\]\.name: invalid version "\.\.\/\.\.\/x".* \(fix spec\.versions\[\]\.name in the CRD, e\.g\. v1alpha1\)$/],
  ["version V1", { version: "V1" }, /spec\.versions\[\]\.name: invalid version "V1"/],
  ["group upper-case", { group: "ext.Example.org" }, /^crd\.yaml: spec\.group: invalid group "ext\.Example\.org".* \(fix spec\.group in the CRD, e\.g\. cache\.example\.com\)$/],
  ["group with a slash", { group: "ext.example.org/../x" }, /spec\.group: invalid group/],
  ["group with a quote", { group: 'ext".example.org' }, /spec\.group: invalid group/],
  ["group without a dot", { group: "ext" }, /spec\.group: invalid group "ext": a CRD's group needs a dot/],
  ["plural ..", { plural: "../w" }, /^crd\.yaml: spec\.names\.plural: invalid plural "\.\.\/w".* \(fix spec\.names\.plural in the CRD, e\.g\. memcacheds\)$/],
  ["plural upper-case", { plural: "Widgets" }, /spec\.names\.plural: invalid plural "Widgets"/],
  ["kind lower-case", { kind: "widget" }, /^crd\.yaml: spec\.names\.kind: invalid kind "widget"/],
  ["kind with a comment end", { kind: "W*/x" }, /spec\.names\.kind: invalid kind "W\*\/x"/],
];
add("external CRD names", badCrds.map(([, o, error]) => ({ base: "project" as const, files: { "crd.yaml": crd(o) }, args: ["create", "api", "--external", "--from-crd", "crd.yaml"], error })), badCrds.map(([n]) => n));

// --- kubeconfig mistakes name the file and say what to set ---
const kc = (clusters: string, contexts = "- name: x\n  context: {cluster: c, user: u}", users = "- name: u\n  user: {token: abc}"): string =>
  `apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n${clusters}\nusers:\n${users}\ncontexts:\n${contexts}\n`;
add("kubeconfig hints", [
  { base: "project", files: { "kc.yaml": kc("- name: c\n  cluster: {insecure-skip-tls-verify: true}") }, args: ["install", "--kubeconfig", "kc.yaml"], error: /\/kc\.yaml: cluster "c" has no server \(set clusters\[\]\.cluster\.server to the apiserver's URL, e\.g\. https:\/\/127\.0\.0\.1:6443, or run kubectl config set-cluster/ },
  { base: "project", files: { "kc.yaml": kc("- name: c\n  cluster: {server: https://127.0.0.1:1}", "- name: x\n  context: {cluster: other, user: u}") }, args: ["install", "--kubeconfig", "kc.yaml"], error: /context "x" refers to unknown cluster "other" \(set contexts\[\]\.context\.cluster to one of: c\)$/ },
  { base: "project", files: { "kc.yaml": kc("- name: c\n  cluster: {server: https://127.0.0.1:1}", "- name: x\n  context: {cluster: c, user: nobody}") }, args: ["install", "--kubeconfig", "kc.yaml"], error: /context "x" refers to unknown user "nobody" \(set contexts\[\]\.context\.user to one of: u\)$/ },
  { base: "project", files: { "kc.yaml": kc("- cluster: {server: https://127.0.0.1:1}") }, args: ["install", "--kubeconfig", "kc.yaml"], error: /\/kc\.yaml: a cluster entry has no name \(give every entry of clusters a name\)$/ },
  { base: "project", files: { "kc.yaml": "apiVersion: v1\nusers: 3\ncurrent-context: x\n" }, args: ["install", "--kubeconfig", "kc.yaml"], error: /`users` must be a list \(write users as a YAML list/ },
  { base: "project", files: { "kc.yaml": "apiVersion: v1\nkind: Config\ncontexts:\n- name: a\n  context: {cluster: c}\n" }, args: ["install", "--kubeconfig", "kc.yaml"], error: /kubeconfig has no current-context \(set current-context \(kubectl config use-context NAME\) or pass a context \(--context\); known contexts: a\)$/ },
]);

// --- commander's own errors get a hint too ---
add("commander hints", [
  { base: "empty", args: ["init", "stray"], error: /^too many arguments for 'init'\. Expected 0 arguments but got 1 \(run the command with --help to see its options and arguments\)$/ },
  { base: "empty", args: ["init", "--project-name"], error: /^option '--project-name <name>' argument missing \(run the command with --help/ },
  { base: "project", args: ["manifests", "--max-description-length"], error: /argument missing \(run the command with --help/ },
  { base: "project", args: ["--bogus-global"], error: /^unknown option '--bogus-global' \(run the command with --help/ },
]);

// --- envtest: refused before any build, nothing created (GOPROXY is a closed port: no network needed) ---
const offline = { GOPROXY: "http://127.0.0.1:1", GOMODCACHE: "/nonexistent/gomodcache", KUBEBUILDER_ASSETS: "" };
add("envtest input", [
  { base: "empty", env: offline, args: ["envtest", "use", "--k8s-version", "1.99.0"], error: /^cannot check that Kubernetes v1\.99\.0 exists: the Go module proxy http:\/\/127\.0\.0\.1:1 did not answer \(.*\); the build would download from it \(check the network or set GOPROXY/ },
  { base: "empty", env: offline, args: ["envtest", "use", "--k8s-version", "v2.0.0"], error: /cannot check that Kubernetes v2\.0\.0 exists/ },
  { base: "empty", env: offline, args: ["envtest", "start", "--k8s-version", "1.99.0"], error: /cannot check that Kubernetes v1\.99\.0 exists/ },
  { base: "empty", env: offline, args: ["envtest", "use", "--k8s-version", "latest"], error: /^"latest" is not a Kubernetes version \(use X\.Y\.Z, e\.g\. 1\.37\.2\)$/ },
  { base: "empty", env: offline, args: ["envtest", "use", "--k8s-version", "1.37"], error: /"1\.37" is not a Kubernetes version/ },
  { base: "empty", env: offline, args: ["envtest", "use", "--k8s-version", "1.37.2-rc.0"], error: /"1\.37\.2-rc\.0" is not a Kubernetes version/ },
  { base: "empty", env: { KUBEBUILDER_ASSETS: "/nonexistent/assets" }, args: ["envtest", "use"], error: /^KUBEBUILDER_ASSETS=\/nonexistent\/assets does not exist \(point it at a directory holding kube-apiserver and etcd/ },
  { base: "empty", env: { KUBEBUILDER_ASSETS: "/nonexistent/assets" }, args: ["envtest", "start"], error: /^KUBEBUILDER_ASSETS=\/nonexistent\/assets does not exist/ },
  { base: "empty", env: { KUBEBUILDER_ASSETS: "/", XDG_CACHE_HOME: "/nonexistent/xdg" }, args: ["envtest", "use"], error: /^KUBEBUILDER_ASSETS=\/ has no executable kube-apiserver or etcd, and none was found elsewhere/ },
  { base: "empty", args: ["envtest", "use", "-p", "json"], error: /--print must be "path" or "env", not "json"/ },
]);

// --- CEL rules the apiserver refuses at CRD creation: compile-time checks and cost, at the tag ---
const ruleOn = (field: string, rule: string, ...tags: string[]): string => `  /**\n${tags.map((t) => `   * ${t}\n`).join("")}   * @validation rule="${rule}"\n   */\n  ${field};`;
addApi("CEL rules", [
  apiCase("cost over the per-expression limit", ruleOn("names?: string[]", "self.all(x, x.matches('^[a-z]+$'))", "@maxItems 20000", "@items:maxLength 1000"),
    /^src\/api\/cache\/v1alpha1\/memcached\.ts:7:\d+: the rule "self\.all\(x, x\.matches\('\^\[a-z\]\+\$'\)\)" at spec\.names: estimated rule cost exceeds the apiserver's budget of 10000000 by a factor of 1\.6x \(lower @maxItems/),
  apiCase("cost of an unbounded list", ruleOn("names?: string[]", "self.all(x, x.matches('^a'))"),
    /^src\/api\/cache\/v1alpha1\/memcached\.ts:5:\d+: the rule .* estimated rule cost exceeds the apiserver's budget of 10000000 by a factor of .* \(sized by the 3 MiB request limit alone: add @maxItems on spec\.names/),
  apiCase("mixed list literal", ruleOn("replicas?: Int32", "[self, 'a'].size() == 2"), /memcached\.ts:5:\d+: .*list literals must have one element type/),
  apiCase("invalid constant regex", ruleOn("name?: string", "self.matches('[')", "@maxLength 10"), /memcached\.ts:6:\d+: .*invalid regular expression in matches\(\)/),
  apiCase("format clause on the wrong type", ruleOn("name?: string", "'%d'.format([self]) != ''", "@maxLength 10"), /memcached\.ts:6:\d+: .*decimal clause can only be used on integers/),
  apiCase("sortBy key that is not comparable", ruleOn("names?: string[]", "self.sortBy(x, [x]) == self", "@maxItems 5"), /memcached\.ts:6:\d+: .*found no matching overload for sortBy/),
  apiCase("a method cel-go does not have", ruleOn("data?: string", "self.hex() == ''", "@format byte", "@maxLength 10"), /memcached\.ts:7:\d+: .*found no matching overload for 'bytes\.hex/),
  apiCase("invalid duration literal", ruleOn("name?: string", "duration('1x') > duration('0s')"), /memcached\.ts:5:\d+: .*invalid duration literal '1x'/),
]);

export { cases };
