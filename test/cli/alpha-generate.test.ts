import { spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergePackageJson, mergeUpgrade, type Tree } from "../../src/scaffold/upgrade-merge.js";
import { buildTsop, linkProjectDeps, repoRoot, runTsop } from "./built-cli.js";

// `tsop alpha generate`: scaffold again from PROJECT with this tsop and carry the user's code over.
// The memcached example (an older layout: no lint, no CI, no ship-path scripts) round-trips into a
// new directory, and a freshly scaffolded project with edited types and reconciler upgrades in
// place; in both, nothing the user wrote is lost, `tsop manifests` writes byte-identical files and
// the project type-checks.

const SKIP = new Set(["node_modules", "dist", ".tsop"]);

async function tree(root: string, rel = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) { if (!SKIP.has(e.name)) for (const [k, v] of await tree(root, r)) out.set(k, v); }
    else if (e.isFile()) out.set(r, (await readFile(path.join(root, r))).toString("base64"));
  }
  return out;
}

function ok(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = runTsop(cwd, args, env);
  expect(r.code, `tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The files `tsop manifests` writes, by path. */
async function manifests(dir: string): Promise<Map<string, string>> {
  const all = await tree(dir);
  return new Map([...all].filter(([p]) => /^config\/(crd\/bases\/.*|rbac\/role|webhook\/manifests)\.yaml$/.test(p)));
}

function typecheck(dir: string): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"], { cwd: dir, encoding: "utf8" });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
}

let tmp: string;
beforeAll(async () => {
  await buildTsop();
  tmp = await mkdtemp(path.join(tmpdir(), "tsop-alpha-"));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("mergeUpgrade", () => {
  const t = (o: Record<string, string>): Tree => new Map(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
  const text = (m: Tree): Record<string, string> => Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));

  it("takes the new scaffold's file only where the user left the old one, and keeps every user edit", () => {
    const old = t({ Dockerfile: "old", "README.md": "mine", "src/main.ts": "mine", "src/controllers/a.controller.ts": "my code", "src/extra.ts": "x", PROJECT: "p", "config/rbac/role.yaml": "generated", "vendor/tsop-0.0.1.tgz": "old tgz" });
    const base = t({ Dockerfile: "old", "README.md": "old readme", "src/main.ts": "old main", "src/controllers/a.controller.ts": "stub", PROJECT: "p", "config/rbac/role.yaml": "placeholder" });
    const fresh = t({ Dockerfile: "new", "README.md": "new readme", "src/main.ts": "old main", "src/controllers/a.controller.ts": "new stub", "eslint.config.js": "lint", PROJECT: "p", "config/rbac/role.yaml": "placeholder", "vendor/tsop-0.2.0.tgz": "new tgz" });
    const m = mergeUpgrade(old, fresh, base);
    expect(text(m.files)).toEqual({
      Dockerfile: "new", // untouched by the user: upgraded
      "README.md": "mine", // both changed: the user's, listed
      "src/main.ts": "mine", // only the user changed it
      "src/controllers/a.controller.ts": "my code",
      "src/extra.ts": "x",
      "eslint.config.js": "lint",
      PROJECT: "p",
      "config/rbac/role.yaml": "generated",
      "vendor/tsop-0.2.0.tgz": "new tgz",
    });
    expect(m.upgraded).toEqual(["Dockerfile"]);
    expect(m.added).toEqual(["eslint.config.js"]);
    expect(m.kept).toEqual(["README.md"]);
  });

  it("does not bring back a scaffold file the user deleted (in the base, not in the project); without a base it cannot tell", () => {
    const fresh = t({ "test/b.controller.test.ts": "stub", "eslint.config.js": "lint" });
    const m = mergeUpgrade(t({}), fresh, t({ "test/b.controller.test.ts": "stub" }));
    expect(text(m.files)).toEqual({ "eslint.config.js": "lint" });
    expect(m.deleted).toEqual(["test/b.controller.test.ts"]);
    expect(m.added).toEqual(["eslint.config.js"]);
    expect(mergeUpgrade(t({}), fresh, undefined).added).toEqual(["eslint.config.js", "test/b.controller.test.ts"]);
  });

  it("without a base keeps every file that differs and lists the scaffold's, not the user's sources", () => {
    const m = mergeUpgrade(t({ Dockerfile: "old", "test/a.test.ts": "my test" }), t({ Dockerfile: "new", "test/a.test.ts": "stub" }), undefined);
    expect(text(m.files)).toEqual({ Dockerfile: "old", "test/a.test.ts": "my test" });
    expect(m.kept).toEqual(["Dockerfile"]);
    expect(m.carried).toEqual(["test/a.test.ts"]);
  });

  it("package.json: new tsop, new scripts and tools added, old scaffold values upgraded, the user's kept", () => {
    const old = { name: "op", scripts: { test: "vitest run --bail 1", build: "old build" }, dependencies: { tsop: "^0.1.0", lodash: "^4" }, devDependencies: { typescript: "^7.0.2", vitest: "^4.0.0" } };
    const base = { name: "op", scripts: { test: "vitest run", build: "old build" }, dependencies: { tsop: "^0.1.0" }, devDependencies: { typescript: "^7.0.2", vitest: "^3.0.0" } };
    const fresh = { name: "op", scripts: { test: "vitest run", build: "new build", lint: "eslint ." }, dependencies: { tsop: "^0.2.0" }, devDependencies: { typescript: "~6.0.3", vitest: "^4.1.12", eslint: "^10.16.0" } };
    const m = mergePackageJson(JSON.stringify(old), JSON.stringify(fresh), JSON.stringify(base));
    expect(JSON.parse(m.text)).toEqual({
      name: "op",
      scripts: { test: "vitest run --bail 1", build: "new build", lint: "eslint ." },
      dependencies: { tsop: "^0.2.0", lodash: "^4" },
      devDependencies: { typescript: "~6.0.3", vitest: "^4.0.0", eslint: "^10.16.0" },
    });
    expect(m.kept).toEqual(["scripts.test", "devDependencies.vitest"]);
  });
});

describe("tsop alpha generate --output-dir: the memcached example", () => {
  let mc: string;
  let out: string;
  let before: Map<string, string>;
  let reference: Map<string, string>;

  beforeAll(async () => {
    mc = path.join(tmp, "memcached-operator");
    out = path.join(tmp, "upgraded");
    await cp(path.join(repoRoot, "examples/memcached-operator"), mc, { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) });
    ok(mc, ["manifests"]);
    reference = await manifests(mc);
    before = await tree(mc);
  });

  it("writes the new layout and carries every file of the example over unchanged", async () => {
    const stdout = ok(mc, ["alpha", "generate", "--output-dir", out]);
    expect(stdout).toContain("create    eslint.config.js\n");
    expect(stdout).toMatch(/kept yours, though the new scaffold writes them differently \(compare by hand\): .*src\/main\.ts/);
    expect(await tree(mc)).toEqual(before); // the input is not touched
    const after = await tree(out);
    for (const [p, content] of before) {
      if (p === "package.json" || p === "package-lock.json") continue;
      expect(after.get(p), p).toBe(content);
    }
    for (const p of [".github/workflows/test.yml", ".github/workflows/lint.yml", "eslint.config.js"]) expect(after.has(p), p).toBe(true);
    const pkg = JSON.parse(await readFile(path.join(out, "package.json"), "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.scripts["lint"]).toBe("eslint .");
    expect(pkg.scripts["test"]).toBe("vitest run");
    expect(pkg.dependencies["tsop"]).toMatch(/^file:vendor\/tsop-.*\.tgz$/);
  });

  it("tsop manifests there writes byte-identical files, and the project type-checks", async () => {
    await linkProjectDeps(out);
    ok(out, ["manifests"]);
    expect(await manifests(out)).toEqual(reference);
    ok(out, ["manifests", "--check"]);
    typecheck(out);
  });

  it("refuses a non-empty --output-dir without --force, writing nothing", async () => {
    const r = runTsop(mc, ["alpha", "generate", "--output-dir", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --output-dir ${out} is not empty (pass a new or empty directory, or --force to write into it)\n`);
    expect(await tree(mc)).toEqual(before);
  });
});

describe("tsop alpha generate in place: a scaffold with edited types and reconciler", () => {
  let dir: string;
  let types: string;
  let controller: string;
  let reference: Map<string, string>;

  beforeAll(async () => {
    dir = path.join(tmp, "inplace", "cache-operator");
    await mkdir(dir, { recursive: true });
    ok(dir, ["init", "--domain", "example.com", "--repo", "github.com/example/cache-operator", "--owner", "Example Org"]);
    ok(dir, ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"]);
    ok(dir, ["create", "api", "--group", "apps", "--version", "v1", "--kind", "Deployment", "--resource=false"]);
    const typesFile = path.join(dir, "src/api/cache/v1alpha1/memcached.ts");
    types = (await readFile(typesFile, "utf8")).replace("  foo?: string;\n", "  foo?: string;\n  /**\n   * How many memcached pods to run.\n   * @minimum 1\n   * @maximum 5\n   */\n  size?: Int32;\n");
    types = types.replace("type Int64,", "type Int32, type Int64,");
    expect(types).toContain("type Int32, type Int64,");
    await writeFile(typesFile, types);
    const ctrlFile = path.join(dir, "src/controllers/memcached.controller.ts");
    controller = (await readFile(ctrlFile, "utf8")) + "\n/** The user's own helper, kept by alpha generate. */\nexport function desiredReplicas(size: number): number {\n  return Math.min(size, 5);\n}\n";
    await writeFile(ctrlFile, controller);
    // an older layout, and a scaffold file the user changed
    await rm(path.join(dir, "eslint.config.js"));
    await rm(path.join(dir, ".github"), { recursive: true });
    await writeFile(path.join(dir, "Dockerfile"), (await readFile(path.join(dir, "Dockerfile"), "utf8")) + "# my addition\n");
    // No node_modules/tsop yet, so no base: the missing files come back as new ones, and the
    // Dockerfile that differs from the new scaffold is kept and listed.
    ok(dir, ["manifests"]);
    reference = await manifests(dir);
    expect([...reference.values()].map((b) => Buffer.from(b, "base64").toString()).join("")).toContain("How many memcached pods to run.");
  });

  it("keeps the edited types, reconciler and Dockerfile, adds the missing files, and writes nothing else", async () => {
    const before = await tree(dir);
    const dry = ok(dir, ["alpha", "generate", "--dry-run"]);
    expect(dry).toBe("dry run, nothing written:\ncreate    .github/workflows/lint.yml\ncreate    .github/workflows/test.yml\ncreate    eslint.config.js\n");
    expect(await tree(dir)).toEqual(before);

    const stdout = ok(dir, ["alpha", "generate"]);
    expect(stdout).toMatch(/^create    \.github\/workflows\/lint\.yml\ncreate    \.github\/workflows\/test\.yml\ncreate    eslint\.config\.js\n/);
    expect(stdout).toContain("kept yours, though the new scaffold writes them differently (compare by hand): Dockerfile\n");
    const after = await tree(dir);
    for (const [p, content] of before) expect(after.get(p), p).toBe(content);
    expect(await readFile(path.join(dir, "src/api/cache/v1alpha1/memcached.ts"), "utf8")).toBe(types);
    expect(await readFile(path.join(dir, "src/controllers/memcached.controller.ts"), "utf8")).toBe(controller);
    expect(await readFile(path.join(dir, "Dockerfile"), "utf8")).toMatch(/# my addition\n$/);
    expect(await readFile(path.join(dir, "eslint.config.js"), "utf8")).toContain("Copyright 20"); // the project's license header
    expect(await readFile(path.join(dir, "eslint.config.js"), "utf8")).toContain("Example Org");
    expect(ok(dir, ["alpha", "generate"])).toMatch(/^unchanged: the project already has the current layout\n/);
  });

  it("tsop manifests writes byte-identical files and the project type-checks", async () => {
    await linkProjectDeps(dir);
    ok(dir, ["manifests"]);
    expect(await manifests(dir)).toEqual(reference);
    typecheck(dir);
  });

  it("init --force afterwards still keeps PROJECT's resources", async () => {
    const project = await readFile(path.join(dir, "PROJECT"), "utf8");
    ok(dir, ["init", "--domain", "example.com", "--repo", "github.com/example/cache-operator", "--force"]);
    expect(await readFile(path.join(dir, "PROJECT"), "utf8")).toBe(project);
  });
});

describe("tsop alpha generate with the project's own, older tsop installed (the base)", () => {
  // An "older tsop": this one's package with the previous layout's differences put back: no lint or
  // CI files, typescript ^7 and no lint script, and a different Dockerfile and .dockerignore.
  let old: string;
  let dir: string;
  let types: string;
  const env = { TSOP_DEPENDENCY: "^0.1.0" }; // no vendored tarball: both scaffolds depend on the same spec
  const oldTsop = (args: string[]): void => {
    const r = spawnSync(process.execPath, [path.join(old, "bin/tsop.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } });
    expect(r.status, `old tsop ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  };

  beforeAll(async () => {
    old = path.join(tmp, "old-tsop");
    for (const p of ["bin", "dist", "templates", "package.json"]) await cp(path.join(repoRoot, p), path.join(old, p), { recursive: true });
    await symlink(path.join(repoRoot, "node_modules"), path.join(old, "node_modules"));
    await rm(path.join(old, "templates/init/eslint.config.js.hbs"));
    await rm(path.join(old, "templates/init/dot-github"), { recursive: true });
    const edit = async (rel: string, f: (s: string) => string): Promise<void> => {
      const before = await readFile(path.join(old, rel), "utf8");
      const after = f(before);
      expect(after, rel).not.toBe(before);
      await writeFile(path.join(old, rel), after);
    };
    await edit("templates/init/Dockerfile.hbs", (s) => s + "# written by the old tsop\n");
    await edit("templates/init/dot-dockerignore.hbs", (s) => s + "old-entry\n");
    await edit("dist/scaffold/package-json.js", (s) => s.replace('typescript: "~6.0.3"', 'typescript: "^7.0.2"').replace('lint: "eslint .",', ""));

    dir = path.join(tmp, "three-way", "cache-operator");
    await mkdir(dir, { recursive: true });
    oldTsop(["init", "--domain", "example.com", "--license", "none"]);
    oldTsop(["create", "api", "--group", "cache", "--version", "v1", "--kind", "Memcached"]);
    expect(await readFile(path.join(dir, "Dockerfile"), "utf8")).toMatch(/# written by the old tsop\n$/);
    const typesFile = path.join(dir, "src/api/cache/v1/memcached.ts");
    types = (await readFile(typesFile, "utf8")).replace("  foo?: string;\n", "  foo?: string;\n  /** The cache's name. */\n  name?: string;\n");
    await writeFile(typesFile, types);
    await writeFile(path.join(dir, ".dockerignore"), (await readFile(path.join(dir, ".dockerignore"), "utf8")) + "my-entry\n");
    await rm(path.join(dir, "test/memcached.controller.test.ts")); // the user deleted a scaffolded test
    await linkProjectDeps(dir, old);
    oldTsop(["manifests"]);
  });

  it("upgrades the files the user left alone, keeps and lists the one both changed, and keeps the user's code", async () => {
    const stdout = ok(dir, ["alpha", "generate"], env);
    expect(stdout).toContain("update    Dockerfile\n");
    expect(stdout).toContain("update    package.json\n");
    expect(stdout).toContain("create    eslint.config.js\n");
    expect(stdout).toContain("kept yours, though the new scaffold writes them differently (compare by hand): .dockerignore\n");
    expect(stdout).toContain("left out, as you deleted them: test/memcached.controller.test.ts\n");
    const fresh = path.join(tmp, "three-way", "fresh");
    await mkdir(fresh);
    ok(fresh, ["init", "--domain", "example.com", "--license", "none", "--project-name", "cache-operator"], env);
    expect(await readFile(path.join(dir, "Dockerfile"), "utf8")).toBe(await readFile(path.join(fresh, "Dockerfile"), "utf8"));
    expect(await readFile(path.join(dir, ".dockerignore"), "utf8")).toMatch(/old-entry\nmy-entry\n$/);
    const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.devDependencies["typescript"]).toBe("~6.0.3");
    expect(pkg.scripts["lint"]).toBe("eslint .");
    expect(await readFile(path.join(dir, "src/api/cache/v1/memcached.ts"), "utf8")).toBe(types);
    await expect(readFile(path.join(dir, "test/memcached.controller.test.ts"))).rejects.toThrow(/ENOENT/);
    ok(dir, ["manifests", "--check"]);
    typecheck(dir);
  });
});
