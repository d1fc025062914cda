import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, expect, test } from "vitest";
import { isListening } from "../../src/envtest/ports.js";
import { bundleForNode, eventually, pidsMentioning } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "tsop-orphan-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("etcd and kube-apiserver die with a parent killed by SIGKILL, and the temp dir goes too", async () => {
  // The bundle lives next to the sources so that node resolves the package's dependencies.
  const script = await bundleForNode(join(import.meta.dirname, "child-env.ts"), join(import.meta.dirname, "..", "..", "node_modules", ".cache", "tsop-test"));
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
  });
  const { server, dir } = JSON.parse(line) as { server: string; dir: string };
  const port = Number(new URL(server).port);
  expect(await isListening(port)).toBe(true);
  const before = pidsMentioning(dir);
  expect(before.length).toBeGreaterThanOrEqual(4); // two supervisors, etcd, kube-apiserver

  child.kill("SIGKILL");
  await exited;

  expect(await eventually(() => pidsMentioning(dir).length === 0, 30_000)).toBe(true);
  expect(await eventually(async () => !(await isListening(port)), 10_000)).toBe(true);
  expect(await eventually(() => !existsSync(dir), 10_000)).toBe(true);
});
