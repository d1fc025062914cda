/**
 * Builds kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok from the Go module
 * proxy (one small wrapper module each).
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { writeFileAtomic } from "./kubeconfig.js";
import { KWOK_STAGES_FILE, fastStagesYaml } from "./kwok-stages.js";

/** Receives one line of progress at a time. */
export type ProgressFn = (line: string) => void;

/** A Kubernetes component buildable from the k8s.io/kubernetes module. */
export type K8sComponent = "kube-apiserver" | "kube-controller-manager" | "kube-scheduler";

const GO_ENV = { GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };

/** Runs `go args...` in `cwd`; streams stderr lines to `progress`; resolves with stdout. */
function runGo(args: string[], cwd: string, progress: ProgressFn, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, { cwd, env: { ...env, ...GO_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let partial = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      const text = partial + c.toString();
      err += c.toString();
      const lines = text.split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) if (l.trim()) progress(`  ${l}`);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else {
        // `go mod download -json` reports its failure in the JSON on stdout, not on stderr.
        const jsonErrors = [...out.matchAll(/"Error":\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string);
        reject(new Error(`go ${args.join(" ")} failed (exit ${code}):\n${[err.slice(-3000), ...jsonErrors].filter((t) => t.trim()).join("\n")}`));
      }
    });
  });
}

/** The `go version` output, or undefined when there is no `go` on PATH. */
export function goVersion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn("go", ["version"], { env: { ...env, GOTOOLCHAIN: "local" }, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", () => resolve(undefined));
    child.on("close", (code) => resolve(code === 0 ? out.trim() : undefined));
  });
}

/** Reports elapsed time every 30 s while `work` runs (a cold kube-apiserver build takes minutes). */
async function withTicker<T>(what: string, progress: ProgressFn, work: Promise<T>): Promise<T> {
  const start = Date.now();
  const timer = setInterval(() => progress(`  still ${what} (${Math.round((Date.now() - start) / 1000)} s)`), 30_000);
  try {
    const result = await work;
    progress(`  ${what}: done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** `go build` into a temporary name, then rename: a killed build never leaves a half binary. */
async function buildInto(outDir: string, name: string, pkg: string, ldflags: string, cwd: string, progress: ProgressFn, env: NodeJS.ProcessEnv): Promise<void> {
  const tmp = join(outDir, `.${name}.${process.pid}.tmp`);
  try {
    await withTicker(`building ${name}`, progress, runGo(["build", "-trimpath", "-ldflags", ldflags, "-o", tmp, pkg], cwd, progress, env));
    renameSync(tmp, join(outDir, name));
  } finally {
    rmSync(tmp, { force: true });
  }
}

function writeToolsFile(dir: string, imports: string[]): void {
  const body = imports.map((p) => `import _ "${p}"`).join("\n");
  writeFileSync(join(dir, "tools.go"), `//go:build tools\n\n// Package tools pins the binaries tsop builds.\npackage tools\n\n${body}\n`);
}

/**
 * Builds the given Kubernetes components at `version` into `outDir`. The wrapper module lives in
 * `outDir/.build/k8s`; it requires k8s.io/kubernetes and replaces every staging module (read from
 * the downloaded k8s go.mod) with its published v0.X.Y version.
 */
export async function buildK8s(
  version: string, components: K8sComponent[], outDir: string, progress: ProgressFn, env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const work = join(outDir, ".build", "k8s");
  mkdirSync(work, { recursive: true });
  const staging = `v0.${version.split(".").slice(1).join(".")}`;
  progress(`tsop envtest: preparing a Go wrapper module for k8s.io/kubernetes v${version} in ${work}`);
  if (!existsSync(join(work, "go.mod"))) await runGo(["mod", "init", "tsop.local/k8s-bins"], work, progress, env);
  const info = JSON.parse(await runGo(["mod", "download", "-json", `k8s.io/kubernetes@v${version}`], work, progress, env)) as { GoMod?: string };
  if (!info.GoMod) throw new Error(`go mod download did not report the go.mod of k8s.io/kubernetes@v${version}`);
  const k8sMod = readFileSync(info.GoMod, "utf8");
  const modules = [...k8sMod.matchAll(/^\s*(k8s\.io\/[A-Za-z0-9._-]+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1] as string);
  if (modules.length === 0) throw new Error(`no staging modules found in ${info.GoMod}`);
  const goLine = /^go\s+(\S+)/m.exec(k8sMod)?.[1] ?? "1.24.0";
  const edits = [`-go=${goLine}`, `-require=k8s.io/kubernetes@v${version}`, ...modules.map((m) => `-replace=${m}=${m}@${staging}`)];
  for (const g of k8sMod.matchAll(/^godebug\s+(\S+=\S+)/gm)) edits.push(`-godebug=${g[1]}`);
  await runGo(["mod", "edit", ...edits], work, progress, env);
  writeToolsFile(work, ["k8s.io/kubernetes/cmd/kube-apiserver", "k8s.io/kubernetes/cmd/kube-controller-manager", "k8s.io/kubernetes/cmd/kube-scheduler"]);
  await withTicker("resolving modules (go mod tidy)", progress, runGo(["mod", "tidy"], work, progress, env));
  const [major, minor] = version.split(".");
  const ldflags = ["-s", "-w", `-X k8s.io/component-base/version.gitVersion=v${version}`, `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`, `-X k8s.io/client-go/pkg/version.gitVersion=v${version}`].join(" ");
  for (const c of components) {
    progress(`tsop envtest: building ${c} v${version} with Go (a cold build takes several minutes)`);
    await buildInto(outDir, c, `k8s.io/kubernetes/cmd/${c}`, ldflags, work, progress, env);
  }
}

/** A Go command to build: `pkg` of `module`, or (with `main`) tsop's own small main package using `module`. */
export interface GoToolSpec {
  module: string;
  version: string;
  pkg: string;
  name: string;
  /** Source of a main package (file name → text) written into the wrapper module and built instead of `pkg`. */
  main?: Readonly<Record<string, string>>;
}

/**
 * Builds the Go command `pkg` of `module` at `version` into `outDir/name`, from a small wrapper
 * module in `outDir/.build/name` (etcd for envtest, kustomize for `tsop deploy`); with `main`, the
 * wrapper module is that main package (the OLM bundle validator).
 */
export async function buildGoTool(tool: GoToolSpec, outDir: string, progress: ProgressFn, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const work = join(outDir, ".build", tool.name);
  mkdirSync(work, { recursive: true });
  progress(`tsop: building ${tool.name} v${tool.version} with Go in ${work}`);
  if (!existsSync(join(work, "go.mod"))) await runGo(["mod", "init", `tsop.local/${tool.name}-bin`], work, progress, env);
  await runGo(["mod", "edit", "-go=1.24.0", `-require=${tool.module}@v${tool.version}`], work, progress, env);
  if (tool.main) for (const [file, text] of Object.entries(tool.main)) writeFileSync(join(work, file), text);
  else writeToolsFile(work, [tool.pkg]);
  await withTicker("resolving modules (go mod tidy)", progress, runGo(["mod", "tidy"], work, progress, env));
  await buildInto(outDir, tool.name, tool.main ? "." : tool.pkg, "-s -w", work, progress, env);
}

/** Builds etcd `version` into `outDir` from a small separate wrapper module in `outDir/.build/etcd`. */
export async function buildEtcd(version: string, outDir: string, progress: ProgressFn, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await buildGoTool({ module: "go.etcd.io/etcd/server/v3", version, pkg: "go.etcd.io/etcd/server/v3", name: "etcd" }, outDir, progress, env);
}

/** Prepares the wrapper module for kwok `version` in `outDir/.build/kwok`; returns the module's source dir. */
async function kwokModule(version: string, outDir: string, progress: ProgressFn, env: NodeJS.ProcessEnv): Promise<{ work: string; dir: string }> {
  const work = join(outDir, ".build", "kwok");
  mkdirSync(work, { recursive: true });
  if (!existsSync(join(work, "go.mod"))) await runGo(["mod", "init", "tsop.local/kwok-bin"], work, progress, env);
  const info = JSON.parse(await runGo(["mod", "download", "-json", `sigs.k8s.io/kwok@v${version}`], work, progress, env)) as { Dir?: string; GoMod?: string };
  if (!info.Dir || !info.GoMod) throw new Error(`go mod download did not report where sigs.k8s.io/kwok@v${version} is`);
  return { work, dir: info.Dir };
}

/** Writes kwok's "fast" stage configs (read from its downloaded module) to `outDir/kwok-stages.yaml`. */
export async function writeKwokStages(version: string, outDir: string, progress: ProgressFn, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { dir } = await kwokModule(version, outDir, progress, env);
  writeFileAtomic(join(outDir, KWOK_STAGES_FILE), fastStagesYaml(dir, version));
  progress(`tsop envtest: wrote kwok's stage configs to ${join(outDir, KWOK_STAGES_FILE)}`);
}

/** Builds kwok `version` (simulated nodes) into `outDir`, with its stage configs next to it. */
export async function buildKwok(version: string, outDir: string, progress: ProgressFn, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  progress(`tsop envtest: building kwok v${version} with Go in ${join(outDir, ".build", "kwok")}`);
  const { work, dir } = await kwokModule(version, outDir, progress, env);
  const goLine = /^go\s+(\S+)/m.exec(readFileSync(join(dir, "go.mod"), "utf8"))?.[1] ?? "1.24.0";
  await runGo(["mod", "edit", `-go=${goLine}`, `-require=sigs.k8s.io/kwok@v${version}`], work, progress, env);
  writeToolsFile(work, ["sigs.k8s.io/kwok/cmd/kwok"]);
  await withTicker("resolving modules (go mod tidy)", progress, runGo(["mod", "tidy"], work, progress, env));
  await buildInto(outDir, "kwok", "sigs.k8s.io/kwok/cmd/kwok", "-s -w", work, progress, env);
  writeFileAtomic(join(outDir, KWOK_STAGES_FILE), fastStagesYaml(dir, version));
}

/** The error for "no binaries and no Go". */
export function noGoError(missing: string[], dir: string): UserError {
  return new UserError(
    "envtest-no-go",
    `${missing.join(" and ")} not found (looked in TEST_ASSET_*, KUBEBUILDER_ASSETS and ${dir}) and there is no Go toolchain to build them`,
    {
      hint: `install Go >= 1.24 (https://go.dev/dl/) and make sure the Go module proxy is reachable, or set KUBEBUILDER_ASSETS to a directory that holds ${missing.join(" and ")}`,
    },
  );
}

/** Throws a {@link UserError} when `go version` output names a Go older than 1.24 (k8s 1.33+ needs it). */
export function checkGoVersion(versionLine: string): void {
  const m = /go(\d+)\.(\d+)(\.\d+)?/.exec(versionLine.replace(/^go version /, ""));
  if (!m) return;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 1 && minor < 24) {
    throw new UserError("envtest-old-go", `Go ${m[0]} is too old to build kube-apiserver`, {
      hint: "install Go >= 1.24 (https://go.dev/dl/), or set KUBEBUILDER_ASSETS to a directory that holds kube-apiserver and etcd",
    });
  }
}

/** Go's own error among its output: the last lines that are not progress (`go: downloading ...`). */
export function goErrorLines(lines: readonly string[], n = 3): string[] {
  const meaningful = lines.map((l) => l.trim()).filter((l) => l !== "" && !/^go: (downloading|finding|extracting|creating new go\.mod|to add module requirements)/.test(l) && !/^still |: done in /.test(l));
  return meaningful.slice(-n);
}

/** Wraps a failed `go` command: usually no access to the module proxy or a broken toolchain. */
export function buildFailedError(names: string[], cause: unknown): UserError {
  const [first = "", ...rest] = (cause instanceof Error ? cause.message : String(cause)).trim().split("\n");
  return new UserError("envtest-build-failed", `building ${names.join(", ")} with Go failed: ${[first.replace(/:$/, ""), ...goErrorLines(rest)].join(" | ")}`, {
    hint: "check that the Go module proxy in GOPROXY is reachable and Go >= 1.24 is installed, or set KUBEBUILDER_ASSETS to prebuilt binaries",
    cause,
  });
}
