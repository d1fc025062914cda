import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// What an operator loads at startup decides its startup time and much of its memory: prom-client,
// the YAML parser and pino (no longer used) must not be loaded by a manager with metrics off and a
// JSON, plain YAML or in-cluster kubeconfig, nor Node's http2, child_process or worker_threads.
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outfile = join(root, "node_modules", ".cache", "tsop-test", `startup-imports-${process.pid}.mjs`);
let dir: string;
let stages: Record<string, { packages: string[]; builtins: string[]; processMetrics?: boolean; server?: string }>;

beforeAll(async () => {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({ entryPoints: [join(root, "test/runtime/fixtures/startup-imports.ts")], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile, logLevel: "error" });
  dir = mkdtempSync(join(tmpdir(), "tsop-startup-"));
  const out = execFileSync(process.execPath, [outfile, dir], { encoding: "utf8", env: { ...process.env, KUBECONFIG: "" } });
  stages = Object.fromEntries(out.trim().split("\n").map((l) => JSON.parse(l) as { stage: string }).map((s) => [s.stage, s])) as unknown as typeof stages;
});

afterAll(() => {
  rmSync(outfile, { force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("what an operator loads as it starts", () => {
  it("a manager with metrics off and a JSON kubeconfig loads no prom-client, yaml or pino, and no http2, child_process or worker_threads", () => {
    const created = stages.created;
    expect(created).toBeDefined();
    for (const p of ["prom-client", "yaml", "pino"]) expect(created?.packages).not.toContain(p);
    for (const b of ["http2", "child_process", "worker_threads"]) expect(created?.builtins).not.toContain(b);
    expect(created?.builtins).toContain("https");
  });

  it("loads prom-client for the process metrics when the metrics text is first asked for", () => {
    expect(stages["metrics-text"]?.packages).toContain("prom-client");
    expect(stages["metrics-text"]?.processMetrics).toBe(true);
    expect(stages["metrics-text"]?.packages).not.toContain("yaml");
  });

  it("reads a kubeconfig in the plain YAML kubectl writes without loading the YAML parser", () => {
    expect(stages["plain-yaml-kubeconfig"]?.server).toBe("https://127.0.0.1:3");
    expect(stages["plain-yaml-kubeconfig"]?.packages).not.toContain("yaml");
  });

  it("loads the YAML parser for a YAML kubeconfig beyond plain YAML (flow mappings here)", () => {
    expect(stages["yaml-kubeconfig"]?.packages).toContain("yaml");
    expect(stages["yaml-kubeconfig"]?.server).toBe("https://127.0.0.1:2");
  });
});
