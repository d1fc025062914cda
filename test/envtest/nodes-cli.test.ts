// `tsop envtest start --nodes N [--with-controllers=list]` and `tsop run --local --nodes N` through
// the built CLI: bad input is one line and exit 1 before anything starts; kwok that cannot be found
// or built is one line; a control plane with a node and two selected controllers runs a Deployment.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { ensureBinaries, type Binaries } from "../../src/envtest/index.js";
import { requestedK8sVersion } from "../../src/envtest/versions.js";
import { runTsop } from "../cli/built-cli.js";
import { pidsMentioning, startForeground } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "tsop-nodes-cli-"));
let bins: Binaries;
beforeAll(async () => {
  bins = await ensureBinaries({ withControllerManager: true, withScheduler: true, withKwok: true });
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The basename of the program a process runs (its comm is cut to 15 characters). */
function programOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]?.split("/").pop() ?? "";
}

/**
 * Asserts exit 1, nothing on stdout and the error as one `error: ...` line, the last on stderr (a
 * build that was attempted reports its progress before it); returns that line.
 */
function oneLineError(r: { code: number | null; stdout: string; stderr: string }, progress = false): string {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  if (!progress) expect(lines, r.stderr).toHaveLength(1);
  expect(lines.filter((l) => l.startsWith("error:")), r.stderr).toHaveLength(1);
  expect(lines.at(-1)).toMatch(/^error: /);
  return lines.at(-1) ?? "";
}

describe("bad input", () => {
  test.each(["0", "-1", "abc", "2.5"])("--nodes %s: one line, exit 1", (value) => {
    const msg = `error: --nodes must be a whole number >= 1, not "${value}" (e.g. --nodes 3; leave --nodes out for a control plane without nodes)`;
    expect(oneLineError(runTsop(work, ["envtest", "start", `--nodes=${value}`]))).toBe(msg);
    expect(oneLineError(runTsop(work, ["run", "--local", `--nodes=${value}`]))).toBe(msg);
  });

  test("--nodes against a cluster (no --local) is refused", () => {
    const line = oneLineError(runTsop(work, ["run", "--nodes", "2", "--kubeconfig", join(work, "kc")]));
    expect(line).toBe("error: --nodes applies to a local control plane only (add --local, or leave --nodes out to run against the kubeconfig's cluster)");
  });

  test("an unknown controller name lists the valid ones", () => {
    const line = oneLineError(runTsop(work, ["envtest", "start", "--with-controllers=deployment,deploymnet"]));
    expect(line).toMatch(/^error: --with-controllers: kube-controller-manager has no controller "deploymnet" \(did you mean "deployment"\?\) \(valid names: bootstrap-signer, .*, deployment, .*, volumeattributesclass-protection\)$/);
  });
});

describe("kwok that cannot be had", () => {
  /** KUBEBUILDER_ASSETS with every binary but kwok, and an empty cache: kwok must be built. */
  function assetsWithoutKwok(name: string): NodeJS.ProcessEnv {
    const dir = join(work, name, "assets");
    mkdirSync(dir, { recursive: true });
    for (const [file, target] of Object.entries({ "kube-apiserver": bins.kubeApiserver, etcd: bins.etcd, "kube-controller-manager": bins.kubeControllerManager, "kube-scheduler": bins.kubeScheduler })) {
      symlinkSync(target ?? "", join(dir, file));
    }
    return { KUBEBUILDER_ASSETS: dir, XDG_CACHE_HOME: join(work, name, "cache"), HOME: join(work, name) };
  }

  test("no Go: one line naming kwok and what to do, exit 1", () => {
    const nogo = join(work, "nogo-bin");
    mkdirSync(nogo, { recursive: true });
    const env = { ...assetsWithoutKwok("nogo"), PATH: nogo };
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "../../bin/tsop.js"), "envtest", "start", "--nodes", "1"], { cwd: work, encoding: "utf8", env });
    const line = oneLineError({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    expect(line).toMatch(/^error: kwok not found \(looked in TEST_ASSET_\*, KUBEBUILDER_ASSETS and .*\) and there is no Go toolchain to build them \(install Go >= 1\.24/);
  });

  test("the module proxy unreachable: one line quoting Go, exit 1, no kwok and no lock left", () => {
    const env = { ...assetsWithoutKwok("noproxy"), GOPROXY: "off", GOMODCACHE: join(work, "noproxy", "gomod"), GOFLAGS: "-mod=mod" };
    const r = runTsop(work, ["envtest", "start", "--nodes", "1"], env);
    const line = oneLineError(r, true);
    expect(line, line).toMatch(/^error: building kwok with Go failed: .*GOPROXY=off/);
    const cache = join(work, "noproxy", "cache", "tsop", "envtest", requestedK8sVersion());
    expect(readdirSync(cache).sort()).toEqual([".build"]);
  });
});

test("`tsop envtest start --nodes 1 --with-controllers=deployment,replicaset` runs a Deployment's pods, then stops cleanly", async () => {
  const kubeconfig = join(work, "kc.yaml");
  const { child, line, exited, stderr } = await startForeground([join(import.meta.dirname, "../../bin/tsop.js"), "envtest", "start", "--kubeconfig", kubeconfig, "--nodes", "1", "--with-controllers=deployment,replicaset"]);
  expect(line).toBe(kubeconfig);
  const kubectl = (...args: string[]): string => execFileSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8" });
  expect(kubectl("get", "nodes", "-o", "jsonpath={.items[*].metadata.name} {.items[*].status.conditions[?(@.type==\"Ready\")].status}")).toBe("kwok-node-0 True");
  kubectl("create", "deployment", "web", "--image=registry.example/web:1", "--replicas=2");
  expect(kubectl("rollout", "status", "deployment/web", "--timeout=120s")).toContain("successfully rolled out");
  // kubectl ran synchronously: let the child's stderr events arrive before reading them.
  await new Promise((r) => setTimeout(r, 200));
  expect(stderr()).toContain("with 1 node;");

  const server = (parse(readFileSync(kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] }).clusters[0]?.cluster.server ?? "";
  const apiPid = pidsMentioning(`--secure-port=${new URL(server).port}`).find((p) => programOf(p) === "kube-apiserver");
  const tempDir = join(/--cert-dir=([^\0]+)/.exec(readFileSync(`/proc/${apiPid}/cmdline`, "utf8"))?.[1] ?? "", "..");
  const kcm = pidsMentioning(join(tempDir, "kcm-certs")).find((p) => programOf(p) === "kube-controller-manager");
  expect(readFileSync(`/proc/${kcm}/cmdline`, "utf8").split("\0")).toContain("--controllers=deployment-controller,replicaset-controller");
  for (const name of ["kube-scheduler", "kwok"]) {
    expect(pidsMentioning(tempDir).some((p) => programOf(p) === name), name).toBe(true);
  }

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(pidsMentioning(tempDir)).toEqual([]);
  expect(existsSync(tempDir)).toBe(false);
});
