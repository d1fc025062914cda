import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";
import { ensureBinaries } from "../../src/envtest/index.js";
import { cliRunner, pidsMentioning, startForeground } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "tsop-cli-test-"));
let runner: string;
beforeAll(async () => {
  runner = await cliRunner(work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("`tsop envtest use` prints the directory, or an export line with -p env", async () => {
  const bins = await ensureBinaries();
  const run = (...args: string[]) => spawnSync(process.execPath, [runner, "envtest", "use", ...args], { encoding: "utf8" });
  expect(run().stdout).toBe(`${bins.dir}\n`);
  expect(run("-p", "env").stdout).toBe(`export KUBEBUILDER_ASSETS=${bins.dir}\n`);
  const bad = run("-p", "yaml");
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('--print must be "path" or "env"');
});

test("`tsop envtest start` writes a kubeconfig kubectl can use and stops cleanly on SIGTERM", async () => {
  const kubeconfig = join(work, "kc.yaml");
  const crdDir = join(import.meta.dirname, "fixtures", "crds");
  const { child, line, exited } = await startForeground([runner, "envtest", "start", "--kubeconfig", kubeconfig, "--crd-dir", crdDir]);
  expect(line).toBe(kubeconfig);
  const out = execFileSync("kubectl", ["--kubeconfig", kubeconfig, "get", "ns", "default", "-o", "name"], { encoding: "utf8" });
  expect(out.trim()).toBe("namespace/default");
  // --crd-dir installed the fixture CRD before the kubeconfig path was printed.
  expect(execFileSync("kubectl", ["--kubeconfig", kubeconfig, "get", "widgets"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })).toBe("");

  const server = (parse(readFileSync(kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] }).clusters[0]?.cluster.server ?? "";
  const apiPids = pidsMentioning(`--secure-port=${new URL(server).port}`);
  expect(apiPids.length).toBeGreaterThanOrEqual(1);
  const certDir = /--cert-dir=([^\0]+)/.exec(readFileSync(`/proc/${apiPids[0]}/cmdline`, "utf8"))?.[1] ?? "";
  const tempDir = join(certDir, "..");
  expect(pidsMentioning(tempDir).length).toBeGreaterThanOrEqual(4);

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(pidsMentioning(tempDir)).toEqual([]);
  expect(existsSync(tempDir)).toBe(false);
});

test("`tsop envtest start` exits 1 with the reason when kube-apiserver dies, leaving nothing behind", async () => {
  const kubeconfig = join(work, "kc-dies.yaml");
  const { exited, stderr } = await startForeground([runner, "envtest", "start", "--kubeconfig", kubeconfig]);
  const server = (parse(readFileSync(kubeconfig, "utf8")) as { clusters: { cluster: { server: string } }[] }).clusters[0]?.cluster.server ?? "";
  const pids = pidsMentioning(`--secure-port=${new URL(server).port}`);
  const apiserver = pids.find((p) => readFileSync(`/proc/${p}/comm`, "utf8").trim() === "kube-apiserver");
  expect(apiserver).toBeDefined();
  const certDir = /--cert-dir=([^\0]+)/.exec(readFileSync(`/proc/${apiserver}/cmdline`, "utf8"))?.[1] ?? "";
  process.kill(apiserver as number, "SIGKILL");
  expect(await exited).toBe(1);
  expect(stderr()).toMatch(/error: kube-apiserver exited with code \d+/);
  expect(pidsMentioning(join(certDir, ".."))).toEqual([]);
});
