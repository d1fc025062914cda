import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { exportTargets } from "../../src/project/tsop-package.js";
import { buildTsop, repoRoot } from "../cli/built-cli.js";
import { contextFiles, parseDockerfile, parseDockerignore, type Stage } from "./dockerfile.js";

// tsop as a user gets it from a checkout (README "Using tsop"): npm pack, install the tarball, then
// init + create api + manifests with the installed CLI; every `exports` entry point resolves, types
// included. Then the generated project's image, without a container engine: the build context is
// exactly what .dockerignore admits, the build stage's steps run there, and the final stage's bundle
// runs alone (no node_modules) as uid 65532 against a real control plane.

const NONROOT = 65532;
/** The node flags of the scaffold's ENTRYPOINT (templates/init/Dockerfile.hbs). */
const IMAGE_NODE_FLAGS = ["--max-semi-space-size=1", "--heap-growing-percent=50"];
const env = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

function sh(cwd: string, cmd: string, args: string[], timeoutMs = 600_000): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs, env });
  expect(r.status, `$ ${cmd} ${args.join(" ")} (exit ${r.status})\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `path size mode` of the files in a .tgz (tar -tv), sorted. */
function tarListing(tgz: string): string[] {
  return sh(path.dirname(tgz), "tar", ["-tzvf", tgz])
    .trim()
    .split("\n")
    .map((l) => {
      const f = l.split(/\s+/);
      return `${f[5]} ${f[2]} ${f[0]}`;
    })
    .sort();
}

describe("tsop installed from its packed tarball, and the image of a project it scaffolds", () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; exports: Record<string, unknown> };
  const vendored = `vendor/tsop-${pkg.version}.tgz`;
  let tmp: string;
  let packed: string;
  let installedRoot: string;
  let tsopCli: string;
  let project: string;
  let finalRoot: string;
  let bundle: string;

  beforeAll(async () => {
    await buildTsop();
    tmp = mkdtempSync(path.join(tmpdir(), "tsop-ship-"));
    chmodSync(tmp, 0o755); // uid 65532 must reach the final stage's files below
  });
  afterAll(() => {
    if (tmp && process.env["TSOP_KEEP_E2E"] !== "1") rmSync(tmp, { recursive: true, force: true });
  });

  it("packs with npm pack and installs globally from the tarball, as the README says", () => {
    // The README's `npm pack` runs the prepack script (npm run build); the vitest global setup has
    // built dist/ already and no test may rebuild it while others read it, hence --ignore-scripts.
    const out = JSON.parse(sh(repoRoot, "npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp])) as { filename: string; size: number; unpackedSize: number }[];
    packed = path.join(tmp, out[0]!.filename);
    process.stderr.write(`tsop tarball: ${out[0]!.filename} ${out[0]!.size} bytes packed, ${out[0]!.unpackedSize} unpacked\n`);
    const prefix = path.join(tmp, "prefix");
    sh(tmp, "npm", ["install", "-g", "--prefix", prefix, packed]);
    tsopCli = path.join(prefix, "bin", "tsop");
    installedRoot = path.join(prefix, "lib", "node_modules", "tsop");
    expect(sh(tmp, tsopCli, ["--version"]).trim()).toBe(pkg.version);
    // every exports target, JavaScript and types, is in the installed package
    const targets = exportTargets(pkg.exports);
    expect(targets.length).toBeGreaterThan(Object.keys(pkg.exports).length);
    for (const t of targets) expect(existsSync(path.join(installedRoot, t)), t).toBe(true);
  });

  it("scaffolds with the installed tsop: init vendors a packed copy of itself, then create api and manifests", () => {
    project = path.join(tmp, "memcached-operator");
    mkdirSync(project);
    for (const args of [
      ["init", "--domain", "example.com", "--repo", "github.com/example/memcached-operator"],
      ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
      ["manifests"],
    ]) {
      sh(project, tsopCli, args);
    }
    const projectPkg = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(projectPkg.dependencies["tsop"]).toBe(`file:${vendored}`);
    // the installed copy packs to the same files as npm pack of the checkout did
    expect(tarListing(path.join(project, vendored))).toEqual(tarListing(packed));
    expect(existsSync(path.join(project, "config/crd/bases/cache.example.com_memcacheds.yaml"))).toBe(true);
    expect(readFileSync(path.join(project, "config/rbac/role.yaml"), "utf8")).toContain("memcacheds/status");
  });

  it("resolves every exports entry point of tsop, and its types, from the project that installed it", () => {
    sh(project, "npm", ["install"]);
    const subpaths = Object.keys(pkg.exports);
    const specifiers = subpaths.map((s) => (s === "." ? "tsop" : `tsop/${s.slice(2)}`));
    // JavaScript: every entry imports (JSON ones through require) in plain Node.
    const script = `
      import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      const out = {};
      for (const s of ${JSON.stringify(specifiers)}) {
        const file = require.resolve(s);
        const mod = s.endsWith(".json") ? require(s) : await import(s);
        out[s] = { file, keys: Object.keys(mod).length };
      }
      console.log(JSON.stringify(out));`;
    writeFileSync(path.join(project, "resolve-exports.mjs"), script);
    const resolved = JSON.parse(sh(project, process.execPath, ["resolve-exports.mjs"])) as Record<string, { file: string; keys: number }>;
    for (const s of specifiers) {
      expect(resolved[s]!.file.startsWith(path.join(project, "node_modules", "tsop") + path.sep), s).toBe(true);
      expect(resolved[s]!.keys, `${s} exports something`).toBeGreaterThan(0);
    }
    // Types: a file importing each entry type-checks under the project's own tsconfig (strict, so a
    // missing declaration file is an error, TS7016).
    const code = specifiers.filter((s) => !s.endsWith(".json")).map((s, i) => `import * as entry${i} from "${s}";\nexport type Entry${i} = typeof entry${i};\n`).join("");
    writeFileSync(path.join(project, "src", "exports-check.ts"), code);
    try {
      sh(project, "npx", ["tsc", "--noEmit"]);
    } finally {
      rmSync(path.join(project, "src", "exports-check.ts"));
      rmSync(path.join(project, "resolve-exports.mjs"));
    }
  }, 600_000); // npm install from the registry (the scaffold's dev tools include ESLint and typescript-eslint) plus tsc: over 120 s on a loaded machine

  it("builds the image's bundle from exactly the files .dockerignore admits, running the build stage's steps", () => {
    const started = Date.now();
    const rules = parseDockerignore(readFileSync(path.join(project, ".dockerignore"), "utf8"));
    const admitted = contextFiles(project, rules);
    const sources = readdirSync(path.join(project, "src"), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(project, path.join(d.parentPath, d.name)).split(path.sep).join("/"));
    expect(admitted).toEqual(["package-lock.json", "package.json", ...sources, "tsconfig.json", vendored].sort());

    const context = path.join(tmp, "context");
    for (const f of admitted) {
      mkdirSync(path.dirname(path.join(context, f)), { recursive: true });
      copyFileSync(path.join(project, f), path.join(context, f));
    }
    const stages = parseDockerfile(readFileSync(path.join(project, "Dockerfile"), "utf8"));
    expect(stages.map((s) => s.from)).toEqual(["node:22-bookworm-slim", "gcr.io/distroless/nodejs22-debian12:nonroot"]);
    const [build, final] = stages as [Stage, Stage];

    // The build stage, with its filesystem rooted at <tmp>/build-root: COPY from the context, RUN in WORKDIR.
    const buildRoot = path.join(tmp, "build-root");
    let workdir = "/";
    const runs: string[] = [];
    for (const step of build.steps) {
      const at = (p: string): string => path.join(buildRoot, path.posix.resolve(workdir, p));
      if (step.op === "WORKDIR") {
        workdir = path.posix.resolve(workdir, step.args[0]!);
        mkdirSync(at("."), { recursive: true });
      } else if (step.op === "COPY") {
        expect(step.flags["from"], `Dockerfile:${step.line}`).toBeUndefined();
        // Docker's COPY: a directory's contents go into dest; files go into dest/ (or become dest).
        const dest = step.args.at(-1)!;
        const sources = step.args.slice(0, -1);
        for (const src of sources) {
          const from = path.join(context, src);
          const into = statSync(from).isDirectory() || dest.endsWith("/") || sources.length > 1;
          const to = statSync(from).isDirectory() ? at(dest) : into ? path.join(at(dest), path.basename(src)) : at(dest);
          cpSync(from, to, { recursive: true });
        }
      } else if (step.op === "RUN") {
        runs.push(step.args.join(" "));
        sh(at("."), "sh", ["-c", step.args.join(" ")], 900_000);
      } else {
        throw new Error(`Dockerfile:${step.line}: build stage step ${step.op} is not emulated by this test`);
      }
    }
    expect(runs).toEqual(["npm ci --no-audit --no-fund", "npm run build"]);

    // The final stage: only files copied from the build stage; then USER and ENTRYPOINT.
    finalRoot = path.join(tmp, "final-root");
    mkdirSync(finalRoot, { mode: 0o755 });
    let user = "";
    let entrypoint: string[] = [];
    for (const step of final.steps) {
      if (step.op === "WORKDIR") expect(step.args).toEqual(["/"]);
      else if (step.op === "COPY") {
        expect(step.flags["from"]).toBe(build.name);
        const [src, dest] = step.args as [string, string];
        copyFileSync(path.join(buildRoot, src), path.join(finalRoot, dest));
        chmodSync(path.join(finalRoot, dest), 0o644);
      } else if (step.op === "USER") user = step.args[0]!;
      else if (step.op === "ENTRYPOINT") entrypoint = step.args;
      else throw new Error(`Dockerfile:${step.line}: final stage step ${step.op} is not emulated by this test`);
    }
    expect(user).toBe(`${NONROOT}:${NONROOT}`);
    expect(entrypoint).toEqual(["/nodejs/bin/node", ...IMAGE_NODE_FLAGS, "/manager.mjs"]);
    expect(readdirSync(finalRoot)).toEqual(["manager.mjs"]); // no node_modules, no package.json, no npm
    bundle = path.join(finalRoot, "manager.mjs");
    process.stderr.write(`image build context: ${admitted.length} files; build stage steps took ${((Date.now() - started) / 1000).toFixed(1)} s; bundle ${statSync(bundle).size} bytes\n`);
  });

  describe("the bundle alone, as uid 65532, against a real control plane", () => {
    const envtest = new Environment({});
    let started: StartedEnvironment;
    let child: ChildProcess | undefined;
    let output = "";

    beforeAll(async () => {
      started = await envtest.start();
    });
    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await envtest.stop();
    });

    it("serves /healthz and /readyz with 200 and reconciles the sample", async () => {
      // A kubeconfig the non-root user can read; the bundle runs from a root-owned, read-only (to it)
      // directory with nothing but the bundle, like the distroless image's /.
      const kcDir = path.join(tmp, "kube");
      mkdirSync(kcDir, { mode: 0o755 });
      const kubeconfig = path.join(kcDir, "config");
      writeFileSync(kubeconfig, started.kubeconfig, { mode: 0o644 });
      sh(project, "kubectl", ["--kubeconfig", kubeconfig, "apply", "--server-side", "-f", "config/crd/bases"]);
      // `kubectl wait` fails at once ("accessor error: <nil>") while a just-created CRD has no status
      // conditions yet, as a user would see too: try again a few times.
      for (let attempt = 1; ; attempt++) {
        try {
          sh(project, "kubectl", ["--kubeconfig", kubeconfig, "wait", "--for=condition=Established", "crd/memcacheds.cache.example.com"]);
          break;
        } catch (e) {
          if (attempt === 5) throw e;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }

      const [probePort, metricsPort] = [await freePort(), await freePort()];
      const [node, script] = [process.execPath, bundle]; // /nodejs/bin/node <IMAGE_NODE_FLAGS> /manager.mjs
      child = spawn("setpriv", [`--reuid=${NONROOT}`, `--regid=${NONROOT}`, "--clear-groups", "--", node, ...IMAGE_NODE_FLAGS, script, `--health-probe-bind-address=127.0.0.1:${probePort}`, `--metrics-bind-address=127.0.0.1:${metricsPort}`], {
        cwd: finalRoot,
        env: { PATH: "/usr/bin:/bin", HOME: "/home/nonroot", KUBECONFIG: kubeconfig },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (output += d.toString()));

      const status = async (p: string): Promise<number | string> => {
        try {
          return (await fetch(`http://127.0.0.1:${probePort}${p}`)).status;
        } catch (e) {
          return String(e);
        }
      };
      const deadline = Date.now() + 60_000;
      let last: (number | string)[] = [];
      for (;;) {
        last = [await status("/healthz"), await status("/readyz")];
        if (last[0] === 200 && last[1] === 200) break;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`probes ${JSON.stringify(last)}, exit ${child.exitCode}; operator output:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(last).toEqual([200, 200]);
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1];
      expect(uid).toBe(String(NONROOT));

      sh(project, "kubectl", ["--kubeconfig", kubeconfig, "apply", "-n", "default", "-f", "config/samples/cache_v1alpha1_memcached.yaml"]);
      // The scaffolded reconciler reports Available=Unknown (NotImplemented) until the user writes the logic:
      // that status write is the proof that it reconciled the sample.
      const waited = spawnSync("kubectl", ["--kubeconfig", kubeconfig, "wait", "-n", "default", "memcached/memcached-sample", "--for=jsonpath={.status.conditions[?(@.type==\"Available\")].reason}=NotImplemented", "--timeout=60s"], { encoding: "utf8" });
      expect(waited.status, `${waited.stdout}${waited.stderr}\noperator output:\n${output}`).toBe(0);
    });
  });
});
