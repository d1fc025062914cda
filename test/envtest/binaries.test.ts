import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { UserError } from "../../src/errors.js";
import { ensureBinaries } from "../../src/envtest/index.js";
import { withLock } from "../../src/envtest/lock.js";
import { etcdVersionFor, requestedK8sVersion } from "../../src/envtest/versions.js";
import { cliRunner } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "tsop-binaries-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A directory with fake executables `names`. */
function fakeDir(name: string, names: string[]): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const n of names) {
    writeFileSync(join(dir, n), "#!/bin/sh\n");
    chmodSync(join(dir, n), 0o755);
  }
  return dir;
}

/** A PATH with only `sh` and friends, no `go`. */
function pathWithoutGo(): string {
  const bin = join(work, "nogo-bin");
  mkdirSync(bin, { recursive: true });
  return bin;
}

describe("lookup", () => {
  const cache = fakeDir("cache/1.37.2", ["kube-apiserver", "etcd"]);
  const assets = fakeDir("assets", ["kube-apiserver"]);
  const kb = fakeDir("kb", ["etcd"]);
  const explicit = fakeDir("explicit", ["my-apiserver"]);

  test("TEST_ASSET_* first, then KUBEBUILDER_ASSETS, then binaryAssetsDirectory, then the cache", async () => {
    const cacheDir = join(work, "cache");
    const base = { PATH: pathWithoutGo() };
    expect(await ensureBinaries({ cacheDir, env: base })).toEqual({ dir: cache, kubeApiserver: join(cache, "kube-apiserver"), etcd: join(cache, "etcd") });
    const withAssets = await ensureBinaries({ cacheDir, env: base, binaryAssetsDirectory: assets });
    expect(withAssets.kubeApiserver).toBe(join(assets, "kube-apiserver"));
    expect(withAssets.etcd).toBe(join(cache, "etcd"));
    const withKb = await ensureBinaries({ cacheDir, env: { ...base, KUBEBUILDER_ASSETS: kb }, binaryAssetsDirectory: assets });
    expect(withKb.etcd).toBe(join(kb, "etcd"));
    const withExplicit = await ensureBinaries({
      cacheDir, env: { ...base, KUBEBUILDER_ASSETS: kb, TEST_ASSET_KUBE_APISERVER: join(explicit, "my-apiserver") },
    });
    expect(withExplicit.kubeApiserver).toBe(join(explicit, "my-apiserver"));
    expect(withExplicit.dir).toBe(explicit);
  });

  test("a TEST_ASSET_* variable naming a missing file is a user error", async () => {
    const err = await ensureBinaries({ cacheDir: join(work, "cache"), env: { TEST_ASSET_ETCD: "/nonexistent/etcd" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format()).toContain("TEST_ASSET_ETCD=/nonexistent/etcd is not an executable file");
  });

  test("a malformed version is a user error", async () => {
    await expect(ensureBinaries({ k8sVersion: "latest", env: {} })).rejects.toThrow(/"latest" is not a Kubernetes version/);
  });
});

describe("no binaries and no Go", () => {
  test("ensureBinaries names what to install and which variable to set", async () => {
    const err = await ensureBinaries({ cacheDir: join(work, "empty-cache"), env: { PATH: pathWithoutGo() } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const msg = (err as UserError).format();
    expect((err as UserError).code).toBe("envtest-no-go");
    expect(msg).toContain("kube-apiserver and etcd not found");
    expect(msg).toContain("install Go");
    expect(msg).toContain("KUBEBUILDER_ASSETS");
    expect(existsSync(join(work, "empty-cache"))).toBe(false);
  });

  test("`tsop envtest use` prints one line and exits 1", async () => {
    const runner = await cliRunner(work);
    const res = spawnSync(process.execPath, [runner, "envtest", "use"], {
      encoding: "utf8",
      env: { PATH: pathWithoutGo(), HOME: work, XDG_CACHE_HOME: join(work, "xdg-empty") },
    });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe("");
    const lines = res.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: kube-apiserver and etcd not found .* \(install Go .* or set KUBEBUILDER_ASSETS .*\)$/);
  });
});

describe("a Go that cannot build", () => {
  /** A PATH whose only `go` prints `versionLine` for `go version` and fails everything else. */
  function fakeGo(name: string, versionLine: string): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "go"), `#!/bin/sh\nif [ "$1" = version ]; then echo "${versionLine}"; exit 0; fi\necho "go: module lookup disabled by GOPROXY=off" >&2\nexit 1\n`);
    chmodSync(join(dir, "go"), 0o755);
    return `${dir}:/usr/bin:/bin`;
  }

  test("a Go older than 1.24 is refused with a hint", async () => {
    const err = await ensureBinaries({ cacheDir: join(work, "old-go-cache"), env: { PATH: fakeGo("old-go", "go version go1.19.8 linux/amd64") } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe("envtest-old-go");
    expect((err as UserError).format()).toContain("Go go1.19.8 is too old to build kube-apiserver (install Go >= 1.24");
  });

  test("a failing build is a user error that quotes Go and leaves no lock, binary or half-made version directory", async () => {
    const cacheDir = join(work, "failing-cache");
    const err = await ensureBinaries({ cacheDir, env: { PATH: fakeGo("bad-go", "go version go1.26.8 linux/amd64") } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe("envtest-build-failed");
    expect((err as UserError).format()).toMatch(/with Go failed: go mod init tsop\.local\/k8s-bins failed \(exit 1\) \| go: module lookup disabled by GOPROXY=off \(/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe("building with Go", () => {
  test("builds a missing etcd once for concurrent callers, atomically, into the cache", async () => {
    const real = await ensureBinaries();
    const cacheDir = join(work, "build-cache");
    const lines: string[] = [];
    const opts = { cacheDir, env: { ...process.env, KUBEBUILDER_ASSETS: "", TEST_ASSET_KUBE_APISERVER: real.kubeApiserver }, onProgress: (l: string) => lines.push(l) };
    const [a, b] = await Promise.all([ensureBinaries(opts), ensureBinaries(opts)]);
    const version = requestedK8sVersion(); // the matrix script runs this file on other versions too
    const dir = join(cacheDir, version);
    expect(a.etcd).toBe(join(dir, "etcd"));
    expect(b.etcd).toBe(a.etcd);
    expect(lines.filter((l) => l.includes(`building etcd v${etcdVersionFor(version)}`))).toHaveLength(1);
    expect(execFileSync(a.etcd, ["--version"], { encoding: "utf8" })).toContain(`etcd Version: ${etcdVersionFor(version)}`);
    // Only the binary and the wrapper module: no temporary binary, no lock left behind.
    expect(readdirSync(dir).sort()).toEqual([".build", "etcd"]);
  }, 600_000);

  test("a lock left by a dead process is taken over", async () => {
    const lock = join(work, "stale.lock");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(lock, dead.stdout);
    let ran = false;
    await withLock(lock, () => {}, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });
});
