import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nearestReleases } from "../../src/envtest/releases.js";
import { repoRoot, tsopBin } from "./built-cli.js";

// `tsop envtest use` with bad input, through the built CLI, never starting a Go build: a version
// that was never released is refused against the module proxy's list (a local HTTP server plays
// GOPROXY), an unreachable proxy is said, and a KUBEBUILDER_ASSETS pointing nowhere is said.

const LIST = ["v1.36.0", "v1.36.1", "v1.36.3", "v1.37.0", "v1.37.2", "v1.37.0-rc.1", "v1.38.0-alpha.1", "v1.29.15"].join("\n") + "\n";

let work: string;
let proxy: Server;
let proxyUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "tsop-envtest-input-"));
  proxy = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/k8s.io/kubernetes/@v/list") res.end(LIST);
    else res.writeHead(404).end("not found");
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  rmSync(work, { recursive: true, force: true });
});

/** Runs `tsop envtest use` with an empty cache and module cache (async: the proxy answers in this process). */
function envtestUse(name: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; cache: string }> {
  const cache = join(work, name, "xdg");
  mkdirSync(cache, { recursive: true });
  const childEnv: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, GOMODCACHE: join(work, name, "gomod"), GOFLAGS: "-mod=mod", ...env };
  if (!("KUBEBUILDER_ASSETS" in env)) delete childEnv["KUBEBUILDER_ASSETS"];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsopBin, "envtest", "use", ...args], { cwd: repoRoot, env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr, cache }));
  });
}

function oneLine(r: { code: number | null; stderr: string }): string {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  return lines[0]!;
}

describe("nearest released versions", () => {
  it.each([
    ["1.99.0", ["1.37.2", "1.37.0", "1.36.3"]],
    ["1.37.1", ["1.37.2", "1.37.0", "1.36.3"]],
    ["1.36.2", ["1.36.3", "1.36.1", "1.36.0"]],
    ["1.30.0", ["1.36.0", "1.29.15", "1.36.1"].sort().reverse()],
  ])("%s -> %j", (v, want) => {
    expect(nearestReleases(v, LIST)).toEqual(want);
  });
});

describe("tsop envtest use --k8s-version", () => {
  it.each([["1.99.0", "1.37.2, 1.37.0, 1.36.3"], ["1.37.1", "1.37.2, 1.37.0, 1.36.3"], ["v1.36.2", "1.36.3, 1.36.1, 1.36.0"], ["2.0.0", "1.37.2, 1.37.0, 1.36.3"]])("%s is refused before any build, naming the nearest releases", async (version, near) => {
    const r = await envtestUse(`v-${version}`, ["--k8s-version", version], { GOPROXY: `${proxyUrl},direct` });
    const v = version.replace(/^v/, "");
    expect(oneLine(r)).toBe(`error: Kubernetes v${v} is not a released version (k8s.io/kubernetes has no v${v} on ${proxyUrl}) (the nearest released versions: ${near}; pass one with --k8s-version)`);
    expect(readdirSync(r.cache)).toEqual([]);
  });

  it("a released version passes the check; a failing build keeps Go's own error and leaves no version directory", async () => {
    // A `go` that reports a version and fails every build step the way a real one does.
    const bin = join(work, "fake-go");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "go"), '#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.26.8 linux/amd64"; exit 0; fi\nif [ "$1" = env ]; then exit 1; fi\necho "go: downloading k8s.io/kubernetes v1.36.1" >&2\necho "go: k8s.io/kubernetes@v1.36.1: reading http://proxy/k8s.io/kubernetes/@v/v1.36.1.zip: 500 Internal Server Error" >&2\nexit 1\n');
    chmodSync(join(bin, "go"), 0o755);
    const before = requests.length;
    const r = await envtestUse("released", ["--k8s-version", "1.36.1"], { GOPROXY: proxyUrl, PATH: `${bin}:/usr/bin:/bin` });
    expect(requests.slice(before)).toEqual(["/k8s.io/kubernetes/@v/list"]);
    // Progress lines of the build come first; the error is the last line, and the only one starting `error: `.
    expect(r.code, r.stderr).toBe(1);
    const errors = r.stderr.trimEnd().split("\n").filter((l) => l.startsWith("error: "));
    expect(errors).toHaveLength(1);
    const line = r.stderr.trimEnd().split("\n").at(-1);
    expect(line).toBe("error: building kube-apiserver, etcd with Go failed: go mod init tsop.local/k8s-bins failed (exit 1) | go: k8s.io/kubernetes@v1.36.1: reading http://proxy/k8s.io/kubernetes/@v/v1.36.1.zip: 500 Internal Server Error (check that the Go module proxy in GOPROXY is reachable and Go >= 1.24 is installed, or set KUBEBUILDER_ASSETS to prebuilt binaries)");
    expect(readdirSync(join(r.cache, "tsop", "envtest"))).toEqual([]);
  });

  it("Ctrl-C during a build leaves no half-made version directory and no lock", async () => {
    const bin = join(work, "slow-go");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "go"), '#!/bin/sh\nif [ "$1" = version ]; then echo "go version go1.26.8 linux/amd64"; exit 0; fi\nif [ "$1" = env ]; then exit 1; fi\nexec sleep 5\n');
    chmodSync(join(bin, "go"), 0o755);
    const cache = join(work, "ctrl-c", "xdg");
    mkdirSync(cache, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, GOPROXY: proxyUrl, PATH: `${bin}:/usr/bin:/bin` };
    delete env["KUBEBUILDER_ASSETS"];
    const child = spawn(process.execPath, [tsopBin, "envtest", "use", "--k8s-version", "1.36.1"], { cwd: repoRoot, env });
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes("preparing a Go wrapper module")) resolve();
      });
      child.on("exit", () => reject(new Error(`exited before the build started:\n${stderr}`)));
    });
    const root = join(cache, "tsop", "envtest");
    expect(readdirSync(root).sort()).toEqual([".1.36.1.build.lock", `.1.36.1.partial-${child.pid}`]);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.removeAllListeners("exit");
      child.once("exit", (_code, sig) => resolve(sig));
      child.kill("SIGINT");
    });
    expect(signal).toBe("SIGINT");
    expect(readdirSync(root)).toEqual([]);
  });

  it("an unreachable proxy is said, with GOPROXY in the hint", async () => {
    const r = await envtestUse("offline", ["--k8s-version", "1.36.1"], { GOPROXY: "http://127.0.0.1:1" });
    expect(oneLine(r)).toMatch(/^error: cannot check that Kubernetes v1\.36\.1 exists: the Go module proxy http:\/\/127\.0\.0\.1:1 did not answer \(.+\); the build would download from it \(check the network or set GOPROXY/);
    expect(readdirSync(r.cache)).toEqual([]);
  });

  it("a proxy that fails (HTTP 404) is said too", async () => {
    const r = await envtestUse("proxy404", ["--k8s-version", "1.36.1"], { GOPROXY: `${proxyUrl}/sub` });
    expect(oneLine(r)).toMatch(/did not answer \(HTTP 404\)/);
  });

  it("a version that is not X.Y.Z is refused without asking the proxy", async () => {
    const before = requests.length;
    const r = await envtestUse("latest", ["--k8s-version", "latest"], { GOPROXY: proxyUrl });
    expect(oneLine(r)).toBe('error: "latest" is not a Kubernetes version (use X.Y.Z, e.g. 1.37.2)');
    expect(requests.length).toBe(before);
  });
});

describe("KUBEBUILDER_ASSETS", () => {
  it("pointing at a missing directory is said, without a build", async () => {
    const dir = join(work, "no-such-assets");
    const r = await envtestUse("kb-missing", [], { KUBEBUILDER_ASSETS: dir, GOPROXY: proxyUrl });
    expect(oneLine(r)).toBe(`error: KUBEBUILDER_ASSETS=${dir} does not exist (point it at a directory holding kube-apiserver and etcd, such as the one tsop envtest use prints, or unset it to use tsop's cache)`);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(r.cache)).toEqual([]);
  });

  it("pointing at a directory without the binaries is said, without a build", async () => {
    const dir = join(work, "empty-assets");
    mkdirSync(dir);
    const r = await envtestUse("kb-empty", [], { KUBEBUILDER_ASSETS: dir, GOPROXY: proxyUrl });
    expect(oneLine(r)).toMatch(/^error: KUBEBUILDER_ASSETS=.*empty-assets has no executable kube-apiserver or etcd, and none was found elsewhere \(point it at/);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(r.cache)).toEqual([]);
  });
});
